import { joinModelArtifacts } from '@gan/core';
import {
  dispose,
  io,
  type Optimizer,
  serialization,
  type Tensor,
  Variable,
} from '@tensorflow/tfjs-core';

type NamedTensor = { name: string; tensor: Tensor };

import type * as tfl from '@tensorflow/tfjs-layers';
import { optimizerWeights, setOptimizerWeights } from './optimizer-state';
import type { Checkpoint } from './types';

type Part = Checkpoint['parts'][string];

/** A model's topology and weights as artifacts (what `model.save` writes). */
export async function modelPart(model: tfl.LayersModel): Promise<Part> {
  let saved: io.ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return joinModelArtifacts(saved as io.ModelArtifacts);
}

/**
 * An optimizer's class, config and whole state: its slots (Adam m/v, RMSProp ms/mom, …), the
 * iteration count and the private fields tfjs does not save (Adam's accumulated powers, Adamax).
 */
export async function optimizerPart(optimizer: Optimizer): Promise<Part> {
  const weights = await optimizerWeights(optimizer);
  const { data, specs } = await io.encodeWeights(weights);
  // The iteration count is a fresh tensor each call; the rest are the optimizer's own variables.
  dispose(weights.map((w) => w.tensor).filter((t) => !(t instanceof Variable)));
  return {
    modelTopology: { className: optimizer.getClassName(), config: optimizer.getConfig() },
    weightSpecs: specs,
    weightData: data,
  };
}

function decode(part: Part): NamedTensor[] {
  const map = io.decodeWeights(part.weightData, part.weightSpecs);
  return part.weightSpecs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}

/**
 * Writes saved weights into a model of the same architecture, in order (weight names differ
 * between model instances); refuses a different architecture, naming the first mismatch.
 */
export function restoreModel(model: tfl.LayersModel, part: Part, label: string): void {
  const values = decode(part);
  try {
    const weights = model.weights;
    if (values.length !== weights.length)
      throw new Error(
        `${label}: the checkpoint holds ${values.length} weights, the model has ${weights.length}`,
      );
    weights.forEach((w, i) => {
      const [saved, actual] = [values[i].tensor.shape.join('×'), (w.shape as number[]).join('×')];
      if (saved !== actual)
        throw new Error(
          `${label}: weight ${i} (${w.originalName}) is ${actual} in the model but ${saved} in the checkpoint`,
        );
    });
    model.setWeights(values.map((v) => v.tensor));
  } finally {
    dispose(values.map((v) => v.tensor) as Tensor[]);
  }
}

/**
 * A fresh optimizer of the saved class with its whole state restored: the saved config, or
 * `config` instead (another trainer's settings for the same class), the learning rate times
 * `learningRateScale`.
 */
export async function restoreOptimizer(
  part: Part,
  label: string,
  options: { config?: serialization.ConfigDict; learningRateScale?: number } = {},
): Promise<Optimizer> {
  const { className, config: saved } = part.modelTopology as {
    className: string;
    config: serialization.ConfigDict;
  };
  const entry = serialization.SerializationMap.getMap().classNameMap[className];
  if (entry == null) throw new Error(`${label}: unknown optimizer class ${className}`);
  const config = options.config ?? saved;
  const scaled = {
    ...config,
    learningRate: (config.learningRate as number) * (options.learningRateScale ?? 1),
  };
  const [cls, fromConfig] = entry;
  const optimizer = fromConfig(cls, scaled) as Optimizer;
  const values = decode(part);
  try {
    await setOptimizerWeights(optimizer, values);
  } finally {
    // The optimizer made its own variables from these.
    dispose(values.map((v) => v.tensor) as Tensor[]);
  }
  return optimizer;
}

export function learningRate(optimizer: Optimizer): number {
  return (optimizer.getConfig().learningRate as number) ?? Number.NaN;
}
