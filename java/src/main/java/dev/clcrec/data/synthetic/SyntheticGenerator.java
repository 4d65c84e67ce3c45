package dev.clcrec.data.synthetic;

import dev.clcrec.data.layout.IdFiles;
import dev.clcrec.data.layout.InteractionFiles;
import dev.clcrec.data.layout.Manifest;
import dev.clcrec.data.layout.ManifestFiles;
import dev.clcrec.data.npy.NpyDtype;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.data.prepare.Splitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes a {@link SyntheticConfig} dataset in our layout, streaming feature rows straight into
 * memory-mapped {@code .npy} files. Deterministic for a given seed (independent of thread count).
 */
public final class SyntheticGenerator {
    private SyntheticGenerator() {}

    public static void write(SyntheticConfig c, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        int k = c.latentDim();
        float[] itemFactors = gaussians(c.seed() ^ 0x1111, (long) c.numItem() * k, 1.0);
        float[] userFactors = gaussians(c.seed() ^ 0x2222, (long) c.numUser() * k, 1.0);
        float[] popularity = gaussians(c.seed() ^ 0x3333, c.numItem(), 1.0);
        int[][] chosen = new int[c.numUser()][];
        IntStream.range(0, c.numUser()).parallel().forEach(u -> chosen[u] = pick(c, u, userFactors, itemFactors, popularity));
        int total = Arrays.stream(chosen).mapToInt(a -> a.length).sum();
        int[] users = new int[total];
        int[] items = new int[total];
        int p = 0;
        for (int u = 0; u < c.numUser(); u++) {
            for (int i : chosen[u]) {
                users[p] = u;
                items[p++] = i;
            }
        }
        Splitter.Result s = Splitter.split(users, items, c.numUser(), c.numItem(), c.coldFraction(), 0.1, 0.1,
                c.seed() ^ 0x4444);
        InteractionFiles.writeNpy(dir.resolve("train.npy"), s.train());
        InteractionFiles.writeNpy(dir.resolve("val.npy"), s.val());
        InteractionFiles.writeNpy(dir.resolve("test.npy"), s.test());
        List<Manifest.Modality> mods = new ArrayList<>();
        for (int m = 0; m < c.modalities().size(); m++) {
            SyntheticConfig.Modality mod = c.modalities().get(m);
            String file = "feat_" + mod.name() + ".npy";
            writeFeatures(dir.resolve(file), mod, c.seed() ^ (0x5555L + m), k, itemFactors, s.itemOf());
            mods.add(new Manifest.Modality(mod.name(), file, mod.dim()));
        }
        List<String> userIds = new ArrayList<>();
        for (int u : s.userOf()) {
            userIds.add("u" + u);
        }
        List<String> itemIds = new ArrayList<>();
        for (int i : s.itemOf()) {
            itemIds.add("i" + i);
        }
        IdFiles.write(dir.resolve("user_ids.tsv"), userIds);
        IdFiles.write(dir.resolve("item_ids.tsv"), itemIds);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", "synthetic");
        source.put("generator", SyntheticGenerator.class.getName());
        source.put("config", c);
        ManifestFiles.write(dir.resolve(Manifest.FILE), new Manifest(Manifest.FORMAT, Manifest.VERSION, c.name(),
                s.numUser(), s.numItem(), s.numWarmItem(), new Manifest.Files("train.npy", "val.npy", "test.npy"),
                new Manifest.Counts(s.train().size(), s.val().size(), s.test().size()), mods, null,
                "user_ids.tsv", "item_ids.tsv", source));
    }

    /** The items user {@code u} interacts with: Gumbel top-n over (a sample of) the items. */
    private static int[] pick(SyntheticConfig c, int u, float[] userF, float[] itemF, float[] pop) {
        SplittableRandom rng = new SplittableRandom(mix(c.seed(), u));
        double sigma = 0.6;
        double n = c.meanInteractions() * Math.exp(sigma * rng.nextGaussian() - sigma * sigma / 2);
        int count = (int) Math.clamp(Math.round(n), c.minInteractions(), Math.max(c.minInteractions(), c.numItem() / 5));
        int[] cand;
        if (c.numItem() <= 4000) {
            cand = IntStream.range(0, c.numItem()).toArray();
        } else {
            int size = Math.min(c.numItem(), Math.max(500, 30 * count));
            cand = rng.ints(size, 0, c.numItem()).distinct().toArray();
        }
        int k = c.latentDim();
        double scale = c.preferenceScale() / Math.sqrt(k);
        double[] score = new double[cand.length];
        for (int j = 0; j < cand.length; j++) {
            int i = cand[j];
            double dot = 0;
            for (int d = 0; d < k; d++) {
                dot += userF[u * k + d] * itemF[i * k + d];
            }
            double gumbel = -Math.log(-Math.log(rng.nextDouble() * 0.999999 + 1e-7));
            score[j] = scale * dot + 0.5 * pop[i] + gumbel;
        }
        Integer[] order = new Integer[cand.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        int take = Math.min(count, cand.length);
        int[] out = new int[take];
        for (int j = 0; j < take; j++) {
            out[j] = cand[order[j]];
        }
        Arrays.sort(out);
        return out;
    }

    /** Row {@code d} = item {@code itemOf[d]}'s factors times a random projection, plus noise. */
    private static void writeFeatures(Path file, SyntheticConfig.Modality mod, long seed, int k, float[] itemF,
                                      int[] itemOf) {
        int dim = mod.dim();
        float[] proj = gaussians(seed, (long) k * dim, 1.0 / Math.sqrt(k));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment out = NpyWriter.mapForWrite(file, NpyDtype.FLOAT32, arena, itemOf.length, dim);
            IntStream.range(0, itemOf.length).parallel().forEach(d -> {
                SplittableRandom rng = new SplittableRandom(mix(seed, d));
                int i = itemOf[d];
                float[] row = new float[dim];
                for (int a = 0; a < k; a++) {
                    float z = itemF[i * k + a];
                    for (int b = 0; b < dim; b++) {
                        row[b] += z * proj[a * dim + b];
                    }
                }
                for (int b = 0; b < dim; b++) {
                    row[b] += (float) (mod.noise() * rng.nextGaussian());
                }
                MemorySegment.copy(row, 0, out, ValueLayout.JAVA_FLOAT, (long) d * dim * Float.BYTES, dim);
            });
            out.force();
        }
    }

    private static float[] gaussians(long seed, long n, double std) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(n)];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (std * rng.nextGaussian());
        }
        return v;
    }

    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
