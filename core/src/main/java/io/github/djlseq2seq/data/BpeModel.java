package io.github.djlseq2seq.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BPE vocabulary with its ranked merges, and the word encoder of HuggingFace tokenizers' {@code
 * BPE} model ({@code byte_fallback: true}, no dropout, no prefixes or suffixes) reproduced step by
 * step, so that both give the same ids.
 *
 * <p>A word starts as one symbol per character, or its UTF-8 byte tokens {@code <0xNN>} when the
 * character is not in the vocabulary; then, repeatedly, the adjacent pair with the lowest merge
 * rank (the leftmost one on a tie) is merged, until no adjacent pair has a merge.
 */
final class BpeModel {

    /** Id of the byte token {@code <0x00>}; byte b has id {@code FIRST_BYTE_ID + b}. */
    static final int FIRST_BYTE_ID = SpecialTokens.ALL.size();

    private static final int CACHE_LIMIT = 200_000;

    private final TokenVocabulary vocabulary;
    private final List<int[]> merges;
    private final Map<Integer, Integer> charIds;
    private final Map<Long, Integer> rankOfPair;
    private final int[] resultOfRank;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * Makes the model.
     *
     * @param vocabulary the tokens; ids 4 to 259 must be the byte tokens {@code <0x00>} to {@code
     *     <0xFF>}
     * @param merges the merges in rank order, each {@code {leftId, rightId}}; the concatenation of
     *     the two tokens must be in the vocabulary
     * @throws IllegalArgumentException naming the first byte token or merge that is wrong
     */
    BpeModel(TokenVocabulary vocabulary, List<int[]> merges) {
        this.vocabulary = vocabulary;
        for (int b = 0; b < 256; b++) {
            String expected = byteToken(b);
            if (vocabulary.idOf(expected) != FIRST_BYTE_ID + b) {
                throw new IllegalArgumentException(
                        "id " + (FIRST_BYTE_ID + b) + " must be the byte token " + expected);
            }
        }
        charIds = new HashMap<>();
        List<String> tokens = vocabulary.getTokens();
        for (int id = 0; id < tokens.size(); id++) {
            String token = tokens.get(id);
            if (token.codePointCount(0, token.length()) == 1) {
                charIds.put(token.codePointAt(0), id);
            }
        }
        List<int[]> copy = new ArrayList<>(merges.size());
        rankOfPair = new HashMap<>(merges.size() * 2);
        resultOfRank = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            int[] merge = merges.get(rank);
            if (merge.length != 2 || outOfRange(merge[0]) || outOfRange(merge[1])) {
                throw new IllegalArgumentException("merge " + rank + " has an unknown token id");
            }
            String joined = tokens.get(merge[0]) + tokens.get(merge[1]);
            int result = vocabulary.idOf(joined);
            if (result < 0) {
                throw new IllegalArgumentException(
                        "merge "
                                + rank
                                + " makes '"
                                + joined
                                + "', which is not in the vocabulary");
            }
            copy.add(new int[] {merge[0], merge[1]});
            // like HF, a repeated pair keeps its last rank
            rankOfPair.put(pairKey(merge[0], merge[1]), rank);
            resultOfRank[rank] = result;
        }
        this.merges = Collections.unmodifiableList(copy);
    }

    /**
     * Returns the text of the byte token for a byte, {@code <0xNN>} with upper-case hex digits.
     *
     * @param b the byte, 0 to 255
     * @return the token text
     */
    static String byteToken(int b) {
        return String.format("<0x%02X>", b);
    }

    /**
     * Packs a pair of ids into one key.
     *
     * @param left the left id
     * @param right the right id
     * @return the key
     */
    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /**
     * Returns the vocabulary.
     *
     * @return the vocabulary
     */
    TokenVocabulary getVocabulary() {
        return vocabulary;
    }

    /**
     * Returns the merges in rank order, each {@code {leftId, rightId}}.
     *
     * @return an unmodifiable list
     */
    List<int[]> getMerges() {
        return merges;
    }

    /**
     * Encodes one word (a piece of normalised text) into ids.
     *
     * @param word the word, not empty
     * @param out receives the ids
     */
    void encodeWord(String word, IdList out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = mergeWord(word);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        out.addAll(ids);
    }

    private int[] mergeWord(String word) {
        Symbols symbols = new Symbols(word.length() * 2);
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            Integer id = charIds.get(cp);
            if (id != null) {
                symbols.add(id);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(FIRST_BYTE_ID + (b & 0xff));
                }
            }
        }
        // queue entries are (rank << 32 | position): lowest rank first, then leftmost
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int pos = 0; pos + 1 < symbols.size; pos++) {
            offer(queue, symbols.id[pos], symbols.id[pos + 1], pos);
        }
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int next = symbols.next[pos];
            if (symbols.removed[pos] || next < 0) {
                continue;
            }
            // skip an entry made stale by an earlier merge
            Integer current = rankOfPair.get(pairKey(symbols.id[pos], symbols.id[next]));
            if (current == null || resultOfRank[current] != resultOfRank[rank]) {
                continue;
            }
            symbols.mergeWithNext(pos, resultOfRank[rank]);
            int prev = symbols.prev[pos];
            if (prev >= 0) {
                offer(queue, symbols.id[prev], symbols.id[pos], prev);
            }
            int after = symbols.next[pos];
            if (after >= 0) {
                offer(queue, symbols.id[pos], symbols.id[after], pos);
            }
        }
        return symbols.toIds();
    }

    private void offer(PriorityQueue<Long> queue, int left, int right, int pos) {
        Integer rank = rankOfPair.get(pairKey(left, right));
        if (rank != null) {
            queue.add(((long) rank << 32) | pos);
        }
    }

    private boolean outOfRange(int id) {
        return id < 0 || id >= vocabulary.size();
    }

    /** The symbols of one word as a doubly linked list over arrays. */
    private static final class Symbols {
        int[] id;
        int[] prev;
        int[] next;
        boolean[] removed;
        int size;

        Symbols(int capacity) {
            id = new int[capacity];
            prev = new int[capacity];
            next = new int[capacity];
            removed = new boolean[capacity];
        }

        void add(int tokenId) {
            if (size == id.length) {
                int capacity = size * 2;
                id = Arrays.copyOf(id, capacity);
                prev = Arrays.copyOf(prev, capacity);
                next = Arrays.copyOf(next, capacity);
                removed = Arrays.copyOf(removed, capacity);
            }
            id[size] = tokenId;
            prev[size] = size - 1;
            next[size] = -1;
            if (size > 0) {
                next[size - 1] = size;
            }
            size++;
        }

        void mergeWithNext(int pos, int newId) {
            int right = next[pos];
            id[pos] = newId;
            removed[right] = true;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
        }

        int[] toIds() {
            IdList out = new IdList(size);
            for (int i = 0; i < size; i++) {
                if (!removed[i]) {
                    out.add(id[i]);
                }
            }
            return out.toArray();
        }
    }
}
