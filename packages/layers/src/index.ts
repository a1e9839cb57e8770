export { applyConstraints } from './apply-constraints';
export { ClipConstraint, type ClipConstraintArgs, clipConstraint } from './clip-constraint';
