package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_h;

/**
 * Which implementation the engine runs where it has two: its hand-written CPU kernels (float32 CPU
 * tensors) or the device-generic path, the one a CUDA model runs. {@link #GENERIC} on a CPU model runs
 * the GPU's code on the CPU, so that it is tested without a GPU; a CUDA model always runs it.
 */
public enum Kernels {
    /** As the environment variable {@code CLCREC_KERNELS} says ("cpu" or "generic"); unset: CPU. */
    AUTO,
    /** The hand-written CPU kernels. */
    CPU,
    /** The device-generic path, on the CPU too. */
    GENERIC;

    int code() {
        return switch (this) {
            case AUTO -> clcrec_h.CLCREC_KERNELS_AUTO();
            case CPU -> clcrec_h.CLCREC_KERNELS_CPU();
            case GENERIC -> clcrec_h.CLCREC_KERNELS_GENERIC();
        };
    }

    static Kernels fromCode(int code) {
        for (Kernels k : values()) {
            if (k.code() == code) {
                return k;
            }
        }
        throw new IllegalStateException("native engine reported unknown kernel choice " + code);
    }
}
