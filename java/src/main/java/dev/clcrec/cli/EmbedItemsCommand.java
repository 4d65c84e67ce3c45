package dev.clcrec.cli;

import dev.clcrec.api.Recommender;
import dev.clcrec.data.CsvFeatures;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code embed-items}: representations of brand-new items from their content features. */
@Command(name = "embed-items", mixinStandardHelpOptions = true,
        description = {"Runs the trained content encoder on new items' features and writes rows x dim_E floats.",
                "Give one --features NAME=FILE per modality the model was trained with (v, a, t), as .npy (float32/64)",
                "or .csv (one item per line, comma-separated numbers); a model with word-level text also needs --words."})
final class EmbedItemsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions m;
    @Option(names = "--features", description = "NAME=FILE, e.g. v=new_v.npy", split = ",")
    Map<String, Path> features = new LinkedHashMap<>();
    @Option(names = "--words", description = "Word-level text of the new items: .npy int (2, count) pairs "
            + "(row 0: new item 0..rows-1, row 1: word id in the model's vocabulary).")
    Path words;
    @Option(names = {"-o", "--output"}, required = true, description = "Output .npy or .csv file.")
    Path output;

    @Override
    public Integer call() {
        m.check(spec);
        try (Dataset data = Datasets.open(DataPaths.resolve(spec, m.dataPath));
             Arena arena = Arena.ofConfined()) {
            ContentFeatures trained = ContentSelection.select(data.content(), m.hasV, m.hasA, m.hasT);
            if (trained.words() != null && words == null) {
                throw new ParameterException(spec.commandLine(), "the model uses word-level text: give the new items' "
                        + "(item, word) pairs with --words FILE.npy");
            }
            if (trained.words() == null && words != null) {
                throw new ParameterException(spec.commandLine(), "--words " + words + ": the model has no word-level text");
            }
            List<FeatureMatrix> mats = new ArrayList<>();
            long rows = -1;
            for (FeatureMatrix t : trained.modalities()) {
                Path file = features.get(t.name());
                if (file == null) {
                    throw new ParameterException(spec.commandLine(), "missing --features " + t.name()
                            + "=FILE: the model was trained with modalities "
                            + trained.modalities().stream().map(FeatureMatrix::name).toList());
                }
                FeatureMatrix fm = file.toString().endsWith(".csv") ? CsvFeatures.read(file, t.name(), arena)
                        : FeatureLoading.matrix(file, t.name(), arena);
                // named here, by file, row and column, rather than by the engine's argument index
                dev.clcrec.data.FeatureChecks.checkFinite(file.toString(), fm.data(), fm.rows(), fm.cols());
                if (fm.cols() != t.cols()) {
                    throw new ParameterException(spec.commandLine(), file + ": " + fm.cols() + " columns, but modality '"
                            + t.name() + "' has " + t.cols());
                }
                if (rows >= 0 && fm.rows() != rows) {
                    throw new ParameterException(spec.commandLine(), file + ": " + fm.rows() + " rows, other modalities have " + rows);
                }
                rows = fm.rows();
                mats.add(fm);
            }
            for (String name : features.keySet()) {
                if (trained.modalities().stream().noneMatch(t -> t.name().equals(name))) {
                    throw new ParameterException(spec.commandLine(), "--features " + name + ": the model has no modality '" + name + "'");
                }
            }
            try (Recommender rec = Recommender.load(m.model, data, trained, m.device(), m.threads)) {
                WordPairs newWords = words == null ? null
                        : FeatureLoading.wordPairs(words, arena, trained.words().numWords());
                if (rows < 0) {
                    rows = maxItem(newWords) + 1; // word-level text only: the pairs define the items
                }
                float[] emb = rec.embedNewItems(rows, new ContentFeatures(mats, newWords));
                int dim = rec.model().config().dimE();
                write(output, emb, rows, dim);
                spec.commandLine().getOut().printf("wrote %d x %d item representations to %s%n", rows, dim, output);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    private static long maxItem(WordPairs pairs) {
        long max = -1;
        for (long p = 0; p < pairs.count(); p++) {
            max = Math.max(max, pairs.pairs().getAtIndex(ValueLayout.JAVA_LONG, p));
        }
        return max;
    }

    private static void write(Path out, float[] emb, long rows, int dim) {
        if (out.toString().endsWith(".csv")) {
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (int r = 0; r < rows; r++) {
                    for (int d = 0; d < dim; d++) {
                        w.write((d > 0 ? "," : "") + String.format(Locale.ROOT, "%.8g", emb[r * dim + d]));
                    }
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        } else {
            NpyWriter.writeFloats(out, emb, rows, dim);
        }
    }
}
