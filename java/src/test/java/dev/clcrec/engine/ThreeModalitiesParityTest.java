package dev.clcrec.engine;

/** Reference parity on the fixture case three_modalities. */
class ThreeModalitiesParityTest extends TrainingParityCase {
    ThreeModalitiesParityTest() {
        super("three_modalities");
    }
}
