package dev.clcrec.engine;

import java.util.Locale;

/**
 * The device the native tests run on: CPU unless {@code -Dclcrec.test.device=cuda}, which lets the
 * same parity tests check a CUDA build of the engine (scripts/gpu-check.sh).
 */
public final class TestDevice {
    private TestDevice() {}

    public static Device get() {
        String name = System.getProperty("clcrec.test.device", "cpu").toUpperCase(Locale.ROOT);
        return Device.valueOf(name);
    }
}
