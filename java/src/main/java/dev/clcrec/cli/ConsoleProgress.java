package dev.clcrec.cli;

import dev.clcrec.train.EpochRecord;
import dev.clcrec.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a progress bar (pairs/s, running loss, ETA) on a terminal, plain lines
 * (at most one every {@link #LINE_INTERVAL_NANOS}, besides each epoch's summary) otherwise, so logs
 * and CI output stay readable.
 */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean terminal;
    private final long pairsPerEpoch;
    private final int k;
    private ProgressBar bar;
    private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;
    private long lastLine;
    private long epochStart;

    ConsoleProgress(PrintWriter out, boolean terminal, long pairsPerEpoch, int k) {
        this.out = out;
        this.terminal = terminal;
        this.pairsPerEpoch = pairsPerEpoch;
        this.k = k;
    }

    @Override
    public void onStep(long epoch, long batch, long batches, long pairsDone, double runningLoss) {
        if (batch == 1) {
            epochStart = System.nanoTime();
            lastLine = epochStart;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(pairsPerEpoch)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" pairs", 1).showSpeed()
                        .continuousUpdate().build();
            }
        }
        String loss = String.format(Locale.ROOT, "loss %.4f", runningLoss);
        if (bar != null) {
            bar.stepTo(pairsDone);
            bar.setExtraMessage(loss);
        } else if (System.nanoTime() - lastLine >= LINE_INTERVAL_NANOS && batch < batches) {
            lastLine = System.nanoTime();
            double s = (lastLine - epochStart) / 1e9;
            double rate = pairsDone / Math.max(s, 1e-9);
            out.printf(Locale.ROOT, "epoch %d: %d/%d pairs (%.0f pairs/s, ETA %.0f s), %s%n", epoch, pairsDone,
                    pairsPerEpoch, rate, (pairsPerEpoch - pairsDone) / Math.max(rate, 1e-9), loss);
            out.flush();
        }
    }

    @Override
    public void onEvaluating(long epoch) {
        if (bar != null) {
            bar.setExtraMessage("evaluating");
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpoch(EpochRecord r, boolean improved) {
        out.printf(Locale.ROOT, "epoch %d: loss %.5f  val Recall@%d all %.5f warm %.5f cold %.5f%s  (train %.1f s, eval %.2f s)%n",
                r.epoch(), r.loss(), k,
                r.eval().get(dev.clcrec.data.Split.VAL, dev.clcrec.data.Setting.ALL).at(k).recall(),
                r.eval().get(dev.clcrec.data.Split.VAL, dev.clcrec.data.Setting.WARM).at(k).recall(),
                r.eval().get(dev.clcrec.data.Split.VAL, dev.clcrec.data.Setting.COLD).at(k).recall(),
                improved ? "  * best" : "", r.trainSeconds(), r.evalSeconds());
        out.flush();
    }

    @Override
    public void onStepSizeLowered(long epoch, double stepSize, long restoredEpoch) {
        out.printf(Locale.ROOT, "epoch %d: no better epoch lately: --l_r lowered to %.3g, %s%n", epoch, stepSize,
                restoredEpoch >= 0 ? "training on from epoch " + restoredEpoch + "'s weights" : "in place");
        out.flush();
    }
}
