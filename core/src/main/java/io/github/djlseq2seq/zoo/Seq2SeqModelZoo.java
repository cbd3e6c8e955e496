package io.github.djlseq2seq.zoo;

import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.BaseModelLoader;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.util.Utils;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The djl-seq2seq model zoo (group id {@value Seq2SeqArtifact#GROUP_ID}): the models of this
 * library published in local DJL repositories ({@link ModelRepository}).
 *
 * <p>The instance DJL registers through {@link Seq2SeqZooProvider} reads its repositories from the
 * system property or environment variable {@value #LOCATION}, a comma-separated list of directories
 * or {@code file:} URLs, each time it is asked for its models; so
 *
 * <pre>
 *   System.setProperty("DJL_SEQ2SEQ_ZOO", "/srv/models");
 *   ModelZoo.listModels();                                  // lists them
 *   Criteria.builder().setTypes(String.class, String.class)
 *           .optGroupId("io.github.djlseq2seq").optArtifactId("bible-en-es").build().loadModel();
 * </pre>
 *
 * <p>The library ships no trained weights, so without a repository the zoo is empty. A zoo over a
 * given location is {@code new Seq2SeqModelZoo(url)}, for {@code Criteria.optModelZoo}.
 */
public class Seq2SeqModelZoo extends ModelZoo {

    /** The system property or environment variable naming the zoo's repositories. */
    public static final String LOCATION = "DJL_SEQ2SEQ_ZOO";

    private final String locations;

    /** Creates the zoo over the repositories named by {@value #LOCATION}. */
    public Seq2SeqModelZoo() {
        this(null);
    }

    /**
     * Creates a zoo over given repositories.
     *
     * @param locations comma-separated directories or {@code file:} URLs; null to read {@value
     *     #LOCATION} at each lookup
     */
    public Seq2SeqModelZoo(String locations) {
        this.locations = locations;
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return Seq2SeqArtifact.GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }

    /** {@inheritDoc} Scans the repositories now, so models published since are included. */
    @Override
    public Collection<ModelLoader> getModelLoaders() {
        List<ModelLoader> loaders = new ArrayList<>();
        String where = locations != null ? locations : Utils.getEnvOrSystemProperty(LOCATION);
        if (where == null || where.isBlank()) {
            return loaders;
        }
        for (String location : where.split("\\s*,\\s*")) {
            if (location.isEmpty()) {
                continue;
            }
            Repository repository = Repository.newInstance("djl-seq2seq", location);
            for (MRL mrl : repository.getResources()) {
                if (Seq2SeqArtifact.GROUP_ID.equals(mrl.getGroupId())) {
                    loaders.add(new BaseModelLoader(mrl));
                }
            }
        }
        return loaders;
    }

    /** {@inheritDoc} */
    @Override
    public ModelLoader getModelLoader(String name) {
        for (ModelLoader loader : getModelLoaders()) {
            if (loader.getArtifactId().equals(name)) {
                return loader;
            }
        }
        return null;
    }
}
