package dev.clcrec.data.pickle;

/** An object made by a whitelisted pickle global that accepts a BUILD (its {@code __setstate__}). */
public interface Buildable {
    void build(Object state);
}
