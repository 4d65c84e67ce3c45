package dev.clcrec.data.reference;

import java.nio.file.Files;
import java.nio.file.Path;

/** File names of the reference implementation's {@code Data/<name>/} folders. */
public final class ReferenceLayout {
    private ReferenceLayout() {}

    public static final String TRAIN = "train.npy";
    public static final String WARM_SET = "warm_set.npy";
    public static final String COLD_SET = "cold_set.npy";
    public static final String ALL_DICT = "user_item_all_dict.npy";
    public static final String TRAIN_DICT = "user_item_train_dict.npy";
    /** Modalities in the reference's order. */
    public static final String[] MODALITIES = {"v", "a", "t"};

    /** {@code val_full.npy}, {@code test_cold.npy}, ... */
    public static String heldOutFile(dev.clcrec.data.Split split, dev.clcrec.data.Setting setting) {
        String s = split == dev.clcrec.data.Split.VAL ? "val" : "test";
        String t = switch (setting) {
            case ALL -> "full";
            case WARM -> "warm";
            case COLD -> "cold";
        };
        return s + "_" + t + ".npy";
    }

    /** Whether {@code dir} looks like a reference folder (has {@code train.npy} and {@code val_full.npy}). */
    public static boolean detect(Path dir) {
        return Files.isRegularFile(dir.resolve(TRAIN)) && Files.isRegularFile(dir.resolve("val_full.npy"));
    }
}
