package dev.clcrec.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every finished trial of a search with what the search was ({@code search}: seed, space, selection,
 * halving and base settings), written atomically as {@code leaderboard.json} and
 * {@code leaderboard.csv} after each trial. A killed search continues from the JSON; reading it back
 * refuses a leaderboard of another search and checks each trial's values against the seed.
 */
public record Leaderboard(int formatVersion, Map<String, Object> search, List<Trial> trials) {
    public static final int FORMAT_VERSION = 1;
    public static final String JSON_NAME = "leaderboard.json";
    public static final String CSV_NAME = "leaderboard.csv";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Leaderboard {
        search = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(search));
        trials = List.copyOf(trials);
    }

    /** This leaderboard with {@code t} in it, replacing an earlier entry of the same index (a re-run cut trial). */
    public Leaderboard with(Trial t) {
        List<Trial> all = new ArrayList<>(trials);
        all.removeIf(x -> x.index() == t.index());
        all.add(t);
        all.sort(Comparator.comparingInt(Trial::index));
        return new Leaderboard(formatVersion, search, all);
    }

    /** The best completed trial (ties: the lower index); pruned, cut and failed trials never win. */
    public Optional<Trial> best() {
        return trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED && t.value() != null)
                .max(Comparator.comparingDouble(Trial::value).thenComparing(Comparator.comparingInt(Trial::index)
                        .reversed()));
    }

    /**
     * Reads {@code dir/leaderboard.json} when it exists, else an empty leaderboard for {@code search}.
     *
     * @throws IllegalArgumentException naming the file when it is unreadable, of another format or
     *     search, or holds trials whose values the seed would not have drawn
     */
    public static Leaderboard openOrCreate(Path dir, Map<String, Object> search, SearchSpace space, long seed) {
        Path file = dir.resolve(JSON_NAME);
        if (!Files.exists(file)) {
            return new Leaderboard(FORMAT_VERSION, search, List.of());
        }
        Leaderboard l;
        try {
            l = JSON.readValue(file.toFile(), Leaderboard.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the leaderboard to resume from: "
                    + e.getMessage(), e);
        }
        if (l.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException(file + ": leaderboard format " + l.formatVersion()
                    + " is not the supported " + FORMAT_VERSION);
        }
        // compared as parsed JSON text, so a long written and read back as an int still matches
        JsonNode want;
        JsonNode have;
        try {
            want = JSON.readTree(JSON.writeValueAsString(search));
            have = JSON.readTree(JSON.writeValueAsString(l.search()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!want.equals(have)) {
            throw new IllegalArgumentException(file + " is the leaderboard of another search (" + have
                    + "); this one is " + want + ". Use another --out or the same settings to resume");
        }
        Set<Integer> seen = new HashSet<>();
        for (Trial t : l.trials()) {
            if (t == null || t.status() == null || t.params() == null || !seen.add(t.index()) || t.index() < 0) {
                throw new IllegalArgumentException(file + ": a trial entry is incomplete or repeated");
            }
            if (!space.sample(seed, t.index()).equals(t.params())) {
                throw new IllegalArgumentException(file + ": trial " + t.index() + " has values " + t.params()
                        + " that this search's seed does not draw; the file was edited or comes from another search");
            }
        }
        return l;
    }

    /** Writes the JSON and the CSV (ranked by selection value), each atomically. */
    public void write(Path dir, String valueName) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(JSON_NAME);
            Path tmp = dir.resolve(JSON_NAME + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path csv = dir.resolve(CSV_NAME);
            Path ctmp = dir.resolve(CSV_NAME + ".tmp");
            writeCsv(ctmp, valueName);
            Files.move(ctmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the leaderboard in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void writeCsv(Path file, String valueName) throws IOException {
        Set<String> params = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (Trial t : trials) {
            params.addAll(t.params().keySet());
            metrics.addAll(t.validation().keySet());
        }
        List<Trial> ranked = new ArrayList<>(trials);
        ranked.sort(Comparator.comparing((Trial t) -> t.value() == null ? Double.NEGATIVE_INFINITY : t.value())
                .reversed().thenComparingInt(Trial::index));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder h = new StringBuilder("rank,trial,status," + valueName + ",best_epoch,epochs,seconds,threads");
            params.forEach(p -> h.append(',').append(p));
            metrics.forEach(m -> h.append(',').append(m));
            w.write(h.append('\n').toString());
            int rank = 1;
            for (Trial t : ranked) {
                StringBuilder r = new StringBuilder();
                r.append(rank++).append(',').append(t.index()).append(',').append(t.status().name().toLowerCase(Locale.ROOT))
                        .append(',').append(t.value() == null ? "" : String.format(Locale.ROOT, "%.6f", t.value()))
                        .append(',').append(t.bestEpoch()).append(',').append(t.epochs()).append(',')
                        .append(String.format(Locale.ROOT, "%.1f", t.seconds())).append(',').append(t.threads());
                for (String p : params) {
                    Double v = t.params().get(p);
                    r.append(',').append(v == null ? "" : TunedParameter.of(p).format(v));
                }
                for (String m : metrics) {
                    Double v = t.validation().get(m);
                    r.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6f", v));
                }
                w.write(r.append('\n').toString());
            }
        }
    }
}
