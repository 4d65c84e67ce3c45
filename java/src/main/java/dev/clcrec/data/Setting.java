package dev.clcrec.data;

/** Evaluation settings: all items, warm items only, cold items only. */
public enum Setting { ALL, WARM, COLD }
