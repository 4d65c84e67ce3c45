package dev.clcrec.data.bench;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.FeatureMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a dataset (either layout, with full validation including the finiteness scan of every
 * feature value) and prints one line: load seconds, peak and current RSS (VmHWM, VmRSS from
 * /proc/self/status), feature bytes and id-table bytes. Run one JVM per measurement.
 */
public final class LoadBenchmark {
    private LoadBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LoadBenchmark DATASET_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        try (Dataset d = Datasets.open(dir)) {
            double secs = (System.nanoTime() - t0) / 1e9;
            long featureBytes = 0;
            for (FeatureMatrix m : d.content().modalities()) {
                featureBytes += m.rows() * m.cols() * Float.BYTES;
            }
            long idBytes = 4 * d.train().size() + 8L * (d.numUser() + 1);
            for (Split s : Split.values()) {
                for (Setting t : Setting.values()) {
                    idBytes += 4 * d.heldOut(s, t).size() + 8L * (d.numUser() + 1);
                }
            }
            long hwm = status("VmHWM");
            long rss = status("VmRSS");
            System.out.printf("{\"dataset\": \"%s\", \"users\": %d, \"items\": %d, \"train\": %d, \"load_s\": %.3f, "
                            + "\"vm_hwm_mib\": %.1f, \"vm_rss_mib\": %.1f, \"feature_mib\": %.1f, \"id_tables_mib\": %.1f, "
                            + "\"hwm_over_features\": %.3f}%n",
                    dir, d.numUser(), d.numItem(), d.train().size(), secs, hwm / 1024.0, rss / 1024.0,
                    featureBytes / 1048576.0, idBytes / 1048576.0, hwm * 1024.0 / (featureBytes + idBytes));
        }
    }

    /** A {@code kB} field of /proc/self/status, or -1. */
    static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        return -1;
    }
}
