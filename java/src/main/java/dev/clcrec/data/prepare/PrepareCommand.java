package dev.clcrec.data.prepare;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code prepare}: raw MovieLens or generic CSV -> our dataset layout. Usable as a picocli subcommand. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = "Prepare a dataset from MovieLens files (ratings.csv+movies.csv, u.data+u.item, "
                + "ratings.dat+movies.dat), CiteULike files (users.dat+mult.dat+vocabulary.dat[+tag-item.dat], "
                + "as in citeulike-a/-t) or a generic user,item[,rating,timestamp] CSV with item features.")
public final class PrepareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "MovieLens or CiteULike directory, or the generic interactions CSV")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, description = "output directory (our layout)")
    Path output;

    @Option(names = "--name", description = "dataset name (default: output directory name)")
    String name;

    @Option(names = "--features", description = "generic: NAME=FILE (.csv: item,values... or .npy with --item-ids); repeatable")
    List<String> features = new ArrayList<>();

    @Option(names = "--item-ids", description = "generic: external item id per row of the .npy feature files")
    Path itemIds;

    @Option(names = "--split", defaultValue = "random", converter = SplitModeConverter.class,
            description = "random (the paper's protocol, default) or time: train on the oldest interactions, "
                    + "validate and test on the newest (--val-fraction, --test-fraction of all interactions); "
                    + "cold items are those first seen after the training cut. time-replay: as time, but users "
                    + "and items first seen after the cut are left out of the dataset and every interaction after "
                    + "the cut is written to OUTPUT/after-cut/ (interactions.csv, features-MODALITY.csv) to be "
                    + "replayed into a serving process")
    SplitMode split;
    @Option(names = "--cold-fraction", description = "random split: share of items made cold (default 0.2)")
    Double coldFraction;
    @Option(names = "--val-fraction", defaultValue = "0.1") double valFraction;
    @Option(names = "--test-fraction", defaultValue = "0.1") double testFraction;
    @Option(names = "--rating-threshold", defaultValue = "NaN", description = "keep ratings >= this (default: keep all)")
    double ratingThreshold;
    @Option(names = "--min-user", defaultValue = "1") int minUser;
    @Option(names = "--min-item", defaultValue = "1") int minItem;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--title-dim", defaultValue = "64", description = "MovieLens: hashed title-word features") int titleDim;
    @Option(names = "--vocab-size", defaultValue = "2000",
            description = "CiteULike: words kept, those in the most articles (default ${DEFAULT-VALUE})") int vocabSize;
    @Option(names = "--tag-size", defaultValue = "1000",
            description = "CiteULike: tags kept, those on the most articles; 0 = no tag features (default ${DEFAULT-VALUE})")
    int tagSize;
    @Option(names = "--bow-weighting", defaultValue = "TFIDF",
            description = "CiteULike: word values, TFIDF (log(1+count) x idf) or COUNTS (default ${DEFAULT-VALUE})")
    CiteULikeContent.Weighting bowWeighting;

    @Override
    public Integer call() {
        String n = name != null ? name : output.toAbsolutePath().getFileName().toString();
        if (split.byTime() && coldFraction != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cold-fraction applies to --split "
                    + "random only; with --split time the cold items are those first seen after the training cut");
        }
        PrepareOptions o = new PrepareOptions(n, coldFraction == null ? 0.2 : coldFraction, valFraction, testFraction,
                ratingThreshold, minUser, minItem, seed, titleDim, split);
        Prepare.Report r;
        if (java.nio.file.Files.isDirectory(input) && CiteULikeFiles.detect(input)) {
            CiteULikeContent.Options c;
            try {
                c = new CiteULikeContent.Options(vocabSize, tagSize, bowWeighting);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            r = Prepare.citeULike(input, output, o, c);
        } else if (java.nio.file.Files.isDirectory(input)) {
            r = Prepare.movieLens(input, output, o);
        } else {
            if (features.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "a generic CSV needs at least one --features NAME=FILE");
            }
            List<GenericFiles.FeatureSource> fs = new ArrayList<>();
            for (String f : features) {
                int eq = f.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--features expects NAME=FILE, got " + f);
                }
                fs.add(new GenericFiles.FeatureSource(f.substring(0, eq), Path.of(f.substring(eq + 1)), itemIds));
            }
            r = Prepare.generic(input, fs, output, o);
        }
        System.out.printf("prepared %s: %d users, %d items (%d warm, %d cold), train %d, val %d, test %d "
                        + "(raw %d, duplicates %d, below threshold %d, without content %d, users dropped %d) in %.2f s%n",
                r.output(), r.numUser(), r.numItem(), r.numWarmItem(), r.numItem() - r.numWarmItem(), r.train(),
                r.val(), r.test(), r.rawInteractions(), r.duplicates(), r.belowThreshold(), r.withoutContent(),
                r.droppedUsers(), r.seconds());
        return 0;
    }

    /** {@code random}, {@code time} or {@code time-replay}, case-insensitive; anything else names the flag and the choices. */
    static final class SplitModeConverter implements CommandLine.ITypeConverter<SplitMode> {
        @Override
        public SplitMode convert(String value) {
            try {
                return SplitMode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--split: '" + value
                        + "' is not random, time or time-replay");
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PrepareCommand()).execute(args));
    }
}
