package dev.clcrec.api.bench;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.RetrainOptions;
import dev.clcrec.api.RetrainOutcome;
import dev.clcrec.api.StateOptions;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.Device;
import dev.clcrec.state.Interaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Issue 17's numbers on a time-split dataset ({@code prepare --split time}: train = oldest 80%, val =
 * next 10%, test = newest 10%): serve the bundle trained on train with a state directory, evaluate it
 * on test, stream val into it in timestamp order (library calls), retrain in the process (warm or
 * scratch), evaluate again, and time recommend calls idle and during the retrain.
 *
 * <p>Evaluation: every model ranks the whole catalog for each test user, the user's train and val
 * items excluded; Recall@10 = hits in the top 10 / the user's test items, NDCG@10 with binary gains;
 * warm and cold as the time split defines them (cold = first seen after the training cut), the top 10
 * taken among that setting's items; means over users with test items in the setting.
 *
 * <p>Args: PREPARED RAW_RATINGS_CSV BUNDLE STATE_DIR warm|scratch EPOCHS TRAIN_THREADS
 */
public final class RetrainBenchmark {
    private RetrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path prepared = Path.of(args[0]);
        Map<String, Long> times = timestamps(Path.of(args[1]));
        Path bundle = Path.of(args[2]);
        Path state = Path.of(args[3]);
        RetrainOptions.Init init = RetrainOptions.Init.valueOf(args[4].toUpperCase(Locale.ROOT));
        int epochs = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        try (Dataset d = Datasets.open(prepared);
             Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(state))) {
            IdMapping ids = d.ids().orElseThrow();
            evaluate("initial model", rec, d);
            List<Interaction> stream = new ArrayList<>();
            var val = d.heldOut(Split.VAL, Setting.ALL);
            for (int u = 0; u < d.numUser(); u++) {
                for (int i : val.row(u)) {
                    String user = ids.externalUser(u);
                    String item = ids.externalItem(i);
                    stream.add(new Interaction(user, item, times.get(user + "," + item)));
                }
            }
            stream.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            long t0 = System.nanoTime();
            for (int k = 0; k < stream.size(); k += 100) {
                rec.recordInteractions(stream.subList(k, Math.min(stream.size(), k + 100)));
            }
            System.out.printf(Locale.ROOT, "streamed %d interactions in %.1f s%n", stream.size(),
                    (System.nanoTime() - t0) / 1e9);
            double[] idle = latencies(rec, d, null);
            System.out.printf(Locale.ROOT, "recommend k=10 idle: p50 %.3f ms, p99 %.3f ms (%d calls)%n",
                    pct(idle, 50), pct(idle, 99), idle.length);
            rec.configureRetraining(RetrainOptions.defaults().withInit(init).withEpochs(epochs).withTrainThreads(threads)
                    .withSampling(256, 64).withTolerance(1.0));
            CompletableFuture<RetrainOutcome> job = CompletableFuture.supplyAsync(rec::retrain);
            double[] busy = latencies(rec, d, job);
            RetrainOutcome o = job.get();
            System.out.printf(Locale.ROOT, "retrain %s (%s, %d epochs, %d train threads): %s; %.1f s%n",
                    o.outcome().label(), init.name().toLowerCase(Locale.ROOT), epochs, threads, o.reason(), o.seconds());
            System.out.printf(Locale.ROOT, "recommend k=10 during the retrain: p50 %.3f ms, p99 %.3f ms (%d calls)%n",
                    pct(busy, 50), pct(busy, 99), busy.length);
            evaluate("after the retrain (" + init.name().toLowerCase(Locale.ROOT) + ")", rec, d);
        }
    }

    private static Map<String, Long> timestamps(Path ratings) throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(ratings)) {
            String[] p = line.split(",");
            if (p.length < 4 || p[0].equals("userId")) {
                continue;
            }
            out.merge(p[0] + "," + p[1], Long.parseLong(p[3].strip()), Math::min);
        }
        return out;
    }

    /** Milliseconds of recommend calls for random known users: 3000 calls, or until {@code until} is done. */
    private static double[] latencies(Recommender rec, Dataset d, CompletableFuture<?> until) {
        IdMapping ids = d.ids().orElseThrow();
        Random r = new Random(1);
        List<Double> ms = new ArrayList<>();
        while (until == null ? ms.size() < 3000 : !until.isDone()) {
            String user = ids.externalUser(r.nextInt(d.numUser()));
            long t = System.nanoTime();
            rec.recommendations(user, 10, ItemFilter.ALL);
            ms.add((System.nanoTime() - t) / 1e6);
            if (until != null) {
                try {
                    Thread.sleep(2); // a steady trickle of requests, not a load test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double pct(double[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void evaluate(String label, Recommender rec, Dataset d) {
        IdMapping ids = d.ids().orElseThrow();
        var test = d.heldOut(Split.TEST, Setting.ALL);
        var val = d.heldOut(Split.VAL, Setting.ALL);
        Set<String> cold = new HashSet<>();
        for (int i = d.numWarmItem(); i < d.numItem(); i++) {
            cold.add(ids.externalItem(i));
        }
        double[][] sums = new double[3][2];
        int[] users = new int[3];
        for (int u = 0; u < d.numUser(); u++) {
            if (test.rowLength(u) == 0) {
                continue;
            }
            String user = ids.externalUser(u);
            Set<String> skip = new HashSet<>();
            for (int i : val.row(u)) {
                skip.add(ids.externalItem(i));
            }
            List<String> ranking = new ArrayList<>();
            for (Recommendation x : rec.recommendations(user, rec.catalogSize(), ItemFilter.ALL).items()) {
                if (!skip.contains(x.itemId())) {
                    ranking.add(x.itemId());
                }
            }
            for (int s = 0; s < 3; s++) {
                Set<String> truth = new HashSet<>();
                for (int i : test.row(u)) {
                    String id = ids.externalItem(i);
                    if (s == 0 || (s == 2) == cold.contains(id)) {
                        truth.add(id);
                    }
                }
                if (truth.isEmpty()) {
                    continue;
                }
                int rank = 0;
                int hits = 0;
                double dcg = 0;
                for (String id : ranking) {
                    if (s != 0 && (s == 2) != cold.contains(id)) {
                        continue;
                    }
                    if (truth.contains(id)) {
                        hits++;
                        dcg += 1 / (Math.log(rank + 2) / Math.log(2));
                    }
                    if (++rank == 10) {
                        break;
                    }
                }
                double idcg = 0;
                for (int r = 0; r < Math.min(10, truth.size()); r++) {
                    idcg += 1 / (Math.log(r + 2) / Math.log(2));
                }
                sums[s][0] += hits / (double) truth.size();
                sums[s][1] += dcg / idcg;
                users[s]++;
            }
        }
        System.out.printf(Locale.ROOT, "%s (%s): R@10 all %.4f warm %.4f cold %.4f | NDCG@10 all %.4f warm %.4f cold %.4f"
                        + " | users %s%n", label, rec.modelVersion(), sums[0][0] / users[0], sums[1][0] / users[1],
                sums[2][0] / users[2], sums[0][1] / users[0], sums[1][1] / users[1], sums[2][1] / users[2],
                Arrays.toString(users));
    }
}
