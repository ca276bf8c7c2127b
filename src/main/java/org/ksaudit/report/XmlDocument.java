package org.ksaudit.report;

import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;

/** XML documents through the JDK's DOM and transformer: the JUnit reports of check and probe. */
public final class XmlDocument {
  private XmlDocument() {}

  public static Document create() {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML builder is misconfigured: " + e.getMessage(), e);
    }
  }

  /** The document as indented UTF-8 XML with its declaration, ending with a newline. */
  public static String write(Document doc) {
    try {
      Transformer transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      // the declaration is written here: the transformer puts the root element on the same line as its own
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      StringWriter out = new StringWriter().append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      String xml = out.toString();
      return xml.endsWith("\n") ? xml : xml + "\n";
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
    }
  }
}
