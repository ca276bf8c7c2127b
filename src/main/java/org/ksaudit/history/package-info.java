/**
 * The history of {@code ksaudit report}: the out folder's run folders (one per run, named by its
 * UTC time), the {@code latest} link, pruning to {@code --keep}, what a run recorded, and what
 * changed from one run to the next. Every run folder is written whole under a hidden name and
 * then renamed, so a folder named as a run is a finished run.
 */
package org.ksaudit.history;
