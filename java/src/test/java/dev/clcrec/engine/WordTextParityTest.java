package dev.clcrec.engine;

/** Reference parity on the fixture case word_text. */
class WordTextParityTest extends TrainingParityCase {
    WordTextParityTest() {
        super("word_text");
    }
}
