package io.github.djlseq2seq.data;

import java.util.Objects;

/**
 * One line of a parallel text file: a source sentence, its translation and an optional reference.
 *
 * @param reference where the pair comes from (e.g. {@code "Genesis 1:3"}), or null for a two-field
 *     file
 * @param source the source sentence
 * @param target the target sentence
 */
public record TextPair(String reference, String source, String target) {

    /**
     * Checks that the source and target are present.
     *
     * @param reference the reference, or null
     * @param source the source sentence
     * @param target the target sentence
     */
    public TextPair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
