package org.ksaudit.report;

import org.jsoup.nodes.Element;
import org.ksaudit.diagnostic.TerminalText;

/**
 * Text of the input (file names, rule lines, comments, chain names, messages) put into the
 * HTML page. jsoup escapes markup in every text node and attribute it writes; control and
 * invisible format characters are made visible first ({@code \x07}, {@code \u202e}), as on a
 * terminal, since a browser would show a bell as nothing and obey a bidi override.
 */
final class PageText {
  private PageText() {}

  /** A new child element {@code tag} of {@code parent} holding {@code text}, one line. */
  static Element add(Element parent, String tag, String text) {
    return parent.appendElement(tag).appendText(TerminalText.line(text));
  }

  /** Like {@link #add}, with a class. */
  static Element add(Element parent, String tag, String cssClass, String text) {
    return add(parent, tag, text).addClass(cssClass);
  }

  /** {@code text} appended to {@code parent} as a text node, one line. */
  static Element append(Element parent, String text) {
    return parent.appendText(TerminalText.line(text));
  }

  /** An attribute holding input text (a tooltip, a label). */
  static Element attr(Element e, String name, String text) {
    return e.attr(name, TerminalText.line(text));
  }
}
