package dev.clcrec.engine;

/** Reference parity on the fixture case no_hybrid. */
class NoHybridParityTest extends TrainingParityCase {
    NoHybridParityTest() {
        super("no_hybrid");
    }
}
