package dev.clcrec.engine;

/** Reference parity on the fixture case visual_only. */
class VisualOnlyParityTest extends TrainingParityCase {
    VisualOnlyParityTest() {
        super("visual_only");
    }
}
