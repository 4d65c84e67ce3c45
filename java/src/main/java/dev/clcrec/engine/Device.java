package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_h;

/** Where a model's tensors live. AUTO picks CUDA when LibTorch sees a GPU, else the CPU. */
public enum Device {
    AUTO,
    CPU,
    CUDA;

    int code() {
        return switch (this) {
            case AUTO -> clcrec_h.CLCREC_DEVICE_AUTO();
            case CPU -> clcrec_h.CLCREC_DEVICE_CPU();
            case CUDA -> clcrec_h.CLCREC_DEVICE_CUDA();
        };
    }

    static Device fromCode(int code) {
        for (Device d : values()) {
            if (d.code() == code) {
                return d;
            }
        }
        throw new IllegalStateException("native engine reported unknown device type " + code);
    }
}
