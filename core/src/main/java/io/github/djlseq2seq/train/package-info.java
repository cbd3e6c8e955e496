/**
 * Teacher-forcing training on DJL's {@code Trainer}: the cross-entropy over non-PAD targets with
 * optional label smoothing ({@link io.github.djlseq2seq.train.PaddedCrossEntropyLoss}), Adam whose
 * whole state can be saved and restored ({@link io.github.djlseq2seq.train.ResumableAdam}),
 * learning-rate schedules with linear warmup ({@link
 * io.github.djlseq2seq.train.InverseSqrtSchedule}, {@link
 * io.github.djlseq2seq.train.BudgetSchedule}), checkpoints written atomically and resumed exactly
 * ({@link io.github.djlseq2seq.train.Checkpoints}), and the metrics of a run as JSON lines ({@link
 * io.github.djlseq2seq.train.MetricsLog}). A NaN or infinite loss stops a run with {@link
 * io.github.djlseq2seq.train.TrainingDivergedException}, keeping the last good checkpoint.
 */
package io.github.djlseq2seq.train;
