export { applyConstraints } from './apply-constraints';
export { ClipConstraint, clipConstraint, type ClipConstraintArgs } from './clip-constraint';
