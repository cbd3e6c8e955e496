package io.github.djlseq2seq.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Learns BPE merges from text, the classic way made fast: count the distinct words once, keep the
 * count of every adjacent pair and the words it occurs in, take the most frequent pair from a
 * priority queue, and update only the words that contain it.
 *
 * <p>Deterministic: the result depends only on the multiset of texts, not on their order. Ties
 * between pairs of equal count go to the smaller left id, then the smaller right id; the alphabet
 * is ordered by count, then by code point.
 */
final class BpeTrainer {

    private static final int FIRST_CHAR_ID = BpeModel.FIRST_BYTE_ID + 256;

    private static final Comparator<Candidate> BEST_FIRST =
            Comparator.<Candidate>comparingLong(c -> -c.count)
                    .thenComparingInt(c -> c.left)
                    .thenComparingInt(c -> c.right);

    private final BpeTrainingConfig config;
    private final BpePreTokenizer preTokenizer;
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<int[]> merges = new ArrayList<>();
    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(BEST_FIRST);
    private int[][] words;
    private long[] wordCounts;

    private BpeTrainer(BpeTrainingConfig config) {
        this.config = config;
        this.preTokenizer = new BpePreTokenizer(config.isSplitPunctuation());
    }

    /**
     * Trains a tokenizer.
     *
     * @param texts the training texts
     * @param config the settings
     * @return the trained tokenizer
     */
    static BpeTokenizer train(Iterable<String> texts, BpeTrainingConfig config) {
        BpeTrainer trainer = new BpeTrainer(config);
        Map<String, long[]> wordCounts = trainer.countWords(texts);
        trainer.makeAlphabet(wordCounts);
        trainer.splitWords(wordCounts);
        trainer.countPairs();
        trainer.mergeUntilFull();
        BpeModel model = new BpeModel(TokenVocabulary.of(trainer.tokens), trainer.merges);
        return new BpeTokenizer(model, trainer.preTokenizer);
    }

    /** Step 1: how often each distinct word occurs. */
    private Map<String, long[]> countWords(Iterable<String> texts) {
        Map<String, long[]> counts = new HashMap<>();
        SpecialTokenSplitter.Sink sink =
                new SpecialTokenSplitter.Sink() {
                    @Override
                    public void text(String text) {
                        preTokenizer.split(
                                BpePreTokenizer.normalize(text),
                                word -> counts.computeIfAbsent(word, w -> new long[1])[0]++);
                    }

                    @Override
                    public void special(int id) {}
                };
        int index = 0;
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("training text " + index + " is null");
            }
            SpecialTokenSplitter.split(text, sink);
            index++;
        }
        return counts;
    }

    /** Step 2: special tokens, byte tokens, then the most frequent characters that fit. */
    private void makeAlphabet(Map<String, long[]> wordCounts) {
        SpecialTokens.ALL.forEach(this::addToken);
        for (int b = 0; b < 256; b++) {
            addToken(BpeModel.byteToken(b));
        }
        Map<Integer, long[]> charCounts = new HashMap<>();
        for (Map.Entry<String, long[]> entry : wordCounts.entrySet()) {
            long count = entry.getValue()[0];
            entry.getKey()
                    .codePoints()
                    .forEach(cp -> charCounts.computeIfAbsent(cp, c -> new long[1])[0] += count);
        }
        charCounts.entrySet().stream()
                .sorted(
                        Comparator.<Map.Entry<Integer, long[]>>comparingLong(e -> -e.getValue()[0])
                                .thenComparingInt(Map.Entry::getKey))
                .limit(Math.max(0, config.getVocabSize() - FIRST_CHAR_ID))
                .forEach(e -> addToken(new String(Character.toChars(e.getKey()))));
    }

    /** Step 3: each distinct word as symbols, characters outside the alphabet as bytes. */
    private void splitWords(Map<String, long[]> counts) {
        String[] distinct = new TreeSet<>(counts.keySet()).toArray(new String[0]);
        words = new int[distinct.length][];
        wordCounts = new long[distinct.length];
        for (int w = 0; w < distinct.length; w++) {
            String word = distinct[w];
            IdList symbols = new IdList(word.length());
            word.codePoints()
                    .forEach(
                            cp -> {
                                Integer id = ids.get(new String(Character.toChars(cp)));
                                if (id != null) {
                                    symbols.add(id);
                                    return;
                                }
                                byte[] bytes =
                                        new String(Character.toChars(cp))
                                                .getBytes(StandardCharsets.UTF_8);
                                for (byte b : bytes) {
                                    symbols.add(BpeModel.FIRST_BYTE_ID + (b & 0xff));
                                }
                            });
            words[w] = symbols.toArray();
            wordCounts[w] = counts.get(word)[0];
        }
    }

    /** Step 4: the count of every adjacent pair, and the words it occurs in. */
    private void countPairs() {
        for (int w = 0; w < words.length; w++) {
            addPairs(w, words[w], 1, -1);
        }
        pairs.forEach((key, pair) -> queue.add(new Candidate(pair.count, left(key), right(key))));
    }

    /** Step 5: merge the most frequent pair until the vocabulary is full or no pair is left. */
    private void mergeUntilFull() {
        int[] lastVisit = new int[words.length];
        Arrays.fill(lastVisit, -1);
        while (tokens.size() < config.getVocabSize() && !queue.isEmpty()) {
            Candidate top = queue.poll();
            long key = BpeModel.pairKey(top.left, top.right);
            Pair pair = pairs.get(key);
            if (pair.count != top.count) {
                // stale entry: the count fell since it was queued
                if (pair.count > 0) {
                    queue.add(new Candidate(pair.count, top.left, top.right));
                }
                continue;
            }
            if (top.count < config.getMinPairCount()) {
                break;
            }
            String joined = tokens.get(top.left) + tokens.get(top.right);
            Integer existing = ids.get(joined);
            if (existing != null && existing < FIRST_CHAR_ID) {
                continue; // would spell a special or byte token: never merged
            }
            int newId = existing != null ? existing : addToken(joined);
            int mergeIndex = merges.size();
            merges.add(new int[] {top.left, top.right});
            TreeSet<Long> grown = new TreeSet<>();
            for (int i = 0; i < pair.size; i++) {
                int w = pair.words[i];
                if (lastVisit[w] == mergeIndex) {
                    continue;
                }
                lastVisit[w] = mergeIndex;
                int[] merged = merge(words[w], top.left, top.right, newId);
                if (merged != null) {
                    addPairs(w, words[w], -1, -1);
                    addPairs(w, merged, 1, newId);
                    words[w] = merged;
                    collectPairsWith(merged, newId, grown);
                }
            }
            for (long grownKey : grown) {
                Pair grownPair = pairs.get(grownKey);
                if (grownPair.count > 0) {
                    queue.add(new Candidate(grownPair.count, left(grownKey), right(grownKey)));
                }
            }
        }
    }

    /** Returns the word with every (left, right), leftmost first, replaced, or null if none. */
    private static int[] merge(int[] word, int left, int right, int newId) {
        IdList out = null;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                if (out == null) {
                    out = new IdList(word.length);
                    for (int j = 0; j < i; j++) {
                        out.add(word[j]);
                    }
                }
                out.add(newId);
                i++;
            } else if (out != null) {
                out.add(word[i]);
            }
        }
        return out == null ? null : out.toArray();
    }

    /**
     * Adds {@code sign} times the word's count to each of its pairs; a pair containing {@code
     * indexedId} (any pair when -1) also records the word. Pairs with a byte token never merge.
     */
    private void addPairs(int w, int[] word, int sign, int indexedId) {
        for (int i = 0; i + 1 < word.length; i++) {
            int a = word[i];
            int b = word[i + 1];
            if (isByte(a) || isByte(b)) {
                continue;
            }
            Pair pair = pairs.computeIfAbsent(BpeModel.pairKey(a, b), k -> new Pair());
            pair.count += sign * wordCounts[w];
            if (sign > 0 && (indexedId < 0 || a == indexedId || b == indexedId)) {
                pair.addWord(w);
            }
        }
    }

    private static void collectPairsWith(int[] word, int id, TreeSet<Long> keys) {
        for (int i = 0; i + 1 < word.length; i++) {
            if ((word[i] == id || word[i + 1] == id) && !isByte(word[i]) && !isByte(word[i + 1])) {
                keys.add(BpeModel.pairKey(word[i], word[i + 1]));
            }
        }
    }

    private int addToken(String token) {
        int id = tokens.size();
        tokens.add(token);
        ids.put(token, id);
        return id;
    }

    private static boolean isByte(int id) {
        return id >= BpeModel.FIRST_BYTE_ID && id < FIRST_CHAR_ID;
    }

    private static int left(long key) {
        return (int) (key >>> 32);
    }

    private static int right(long key) {
        return (int) key;
    }

    /** A pair's current count and the words it occurs in (with repeats and stale entries). */
    private static final class Pair {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int w) {
            if (size > 0 && words[size - 1] == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }

    /** A queue entry: a pair with its count when queued. */
    private static final class Candidate {
        final long count;
        final int left;
        final int right;

        Candidate(long count, int left, int right) {
            this.count = count;
            this.left = left;
            this.right = right;
        }
    }
}
