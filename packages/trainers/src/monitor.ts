/** A training problem worth a human's attention, with what to try. */
export interface TrainingWarning {
  kind: 'discriminator-overpowers' | 'mode-collapse' | 'rolled-back' | 'partial-load';
  iteration: number;
  message: string;
}

export interface WarningOptions {
  /** Warn when a non-negative discriminator loss (BCE, hinge, LSGAN) stays below this. Default 1e-3. */
  discriminatorLossBelow?: number;
  /** …for this many consecutive logged steps. Default 5. */
  patience?: number;
  /** Warn when the fixed-latent samples' mean per-pixel std falls below this. Default 0.02. */
  diversityBelow?: number;
}

/** Thrown when the losses stop being finite and the NaN guard says stop. */
export class TrainingDivergedError extends Error {
  constructor(
    message: string,
    readonly iteration: number,
  ) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

/** The metrics that are not finite numbers, as "name = value". */
export function nonFinite(metrics: Record<string, number | undefined>): string[] {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number' && !Number.isFinite(v))
    .map(([k, v]) => `${k} = ${v}`);
}

/** Watches logged losses and sample diversity for the usual failure modes. */
export class Monitor {
  private lowStreak = 0;
  private readonly threshold: number;
  private readonly patience: number;
  private readonly diversity: number;

  constructor(
    options: WarningOptions,
    private readonly warn: (w: TrainingWarning) => void,
  ) {
    this.threshold = options.discriminatorLossBelow ?? 1e-3;
    this.patience = options.patience ?? 5;
    this.diversity = options.diversityBelow ?? 0.02;
  }

  /** Checkpointed, so a resumed run warns when the uninterrupted one would. */
  getState(): { lowStreak: number } {
    return { lowStreak: this.lowStreak };
  }

  setState(state: { lowStreak: number } | undefined): void {
    this.lowStreak = state?.lowStreak ?? 0;
  }

  observeLoss(iteration: number, discriminatorLoss: number | undefined): void {
    if (discriminatorLoss == null) return;
    this.lowStreak =
      discriminatorLoss >= 0 && discriminatorLoss < this.threshold ? this.lowStreak + 1 : 0;
    if (this.lowStreak === this.patience)
      this.warn({
        kind: 'discriminator-overpowers',
        iteration,
        message:
          `the discriminator loss stayed below ${this.threshold} for ${this.patience} logged steps: it wins outright and ` +
          'the generator gets almost no gradient. Try one-sided label smoothing (realLabel 0.9), the monitored or ' +
          'boosted schedule, a lower discriminator learning rate, or a Wasserstein loss with a gradient penalty.',
      });
  }

  observeDiversity(iteration: number, meanStd: number): void {
    if (meanStd < this.diversity)
      this.warn({
        kind: 'mode-collapse',
        iteration,
        message:
          `samples from different latents are nearly identical (mean per-pixel std ${meanStd.toExponential(2)} < ${this.diversity}): ` +
          'mode collapse. Try minibatch discrimination (pokemonGan), WGAN-GP, or lower learning rates.',
      });
  }
}
