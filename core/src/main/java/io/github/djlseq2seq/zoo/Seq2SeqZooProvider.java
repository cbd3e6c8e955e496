package io.github.djlseq2seq.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers {@link Seq2SeqModelZoo} with DJL, through {@code
 * META-INF/services/ai.djl.repository.zoo.ZooProvider}.
 */
public class Seq2SeqZooProvider implements ZooProvider {

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new Seq2SeqModelZoo();
    }
}
