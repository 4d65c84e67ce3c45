package dev.clcrec.data;

import dev.clcrec.data.layout.LayoutReader;
import dev.clcrec.data.layout.Manifest;
import dev.clcrec.data.reference.ReferenceLayout;
import dev.clcrec.data.reference.ReferenceLayoutReader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a dataset directory in either layout. */
public final class Datasets {
    private Datasets() {}

    /**
     * Opens {@code dir}: our layout when it holds {@code manifest.json} (or {@code dir} is that file),
     * the reference's {@code Data/<name>/} layout when it holds {@code train.npy} and {@code val_full.npy}.
     */
    public static Dataset open(Path dir) {
        Path d = dir;
        if (Files.isRegularFile(d) && d.getFileName().toString().equals(Manifest.FILE)) {
            d = d.toAbsolutePath().getParent();
        }
        if (!Files.isDirectory(d)) {
            throw new DatasetFormatException(dir + ": missing dataset directory");
        }
        if (Files.isRegularFile(d.resolve(Manifest.FILE))) {
            return LayoutReader.read(d);
        }
        if (ReferenceLayout.detect(d)) {
            return ReferenceLayoutReader.read(d);
        }
        throw new DatasetFormatException(dir + ": not a dataset: expected manifest.json (our layout) or "
                + "train.npy + val_full.npy (the reference's Data/<name>/ layout)");
    }
}
