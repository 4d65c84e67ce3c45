package dev.clcrec.data;

/** The held-out splits: validation (model selection) and test (reported results). */
public enum Split { VAL, TEST }
