/**
 * Small helpers shared by the other packages, with no DJL or model knowledge: {@link
 * io.github.djlseq2seq.util.FileUtils} deletes directory trees and replaces files and directories
 * atomically.
 */
package io.github.djlseq2seq.util;
