package org.ksaudit.cli;

import java.util.Arrays;
import java.util.function.Function;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.ValueParsers;
import org.ksaudit.check.Endpoint;
import org.ksaudit.lab.LabAddress;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.report.Format;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for every option that takes a value with rules: a refused value stops the
 * run before any work with picocli's "Invalid value for option" line and exit code 2. The
 * packet values delegate to {@link PacketValues}, which {@code --probes} lines use too.
 */
final class Converters {
  private Converters() {}

  /** Runs a validator and turns its refusal into picocli's conversion error. */
  private static <T> T convert(String text, Function<String, T> validator) {
    try {
      return validator.apply(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  static final class Proto implements ITypeConverter<String> {
    @Override
    public String convert(String v) {
      return Converters.convert(v, PacketValues::proto);
    }
  }

  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      return Converters.convert(v, PacketValues::port);
    }
  }

  static final class Owner implements ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      return Converters.convert(v, PacketValues::owner);
    }
  }

  static final class Mark implements ITypeConverter<Long> {
    @Override
    public Long convert(String v) {
      return Converters.convert(v, PacketValues::mark);
    }
  }

  static final class TcpFlagList implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      return Converters.convert(v, PacketValues::tcpFlags);
    }
  }

  static final class State implements ITypeConverter<ConnState> {
    @Override
    public ConnState convert(String v) {
      return Converters.convert(v, PacketValues::state);
    }
  }

  /** A numeric address of either family, kept as written: its family is read where it is used. */
  static final class Address implements ITypeConverter<String> {
    @Override
    public String convert(String v) {
      return Converters.convert(v, a -> {
        PacketValues.family(a);
        return a;
      });
    }
  }

  static final class IcmpType implements ITypeConverter<int[]> {
    @Override
    public int[] convert(String v) {
      return Converters.convert(v, PacketValues::icmpType);
    }
  }

  static final class Interface implements ITypeConverter<String> {
    @Override
    public String convert(String v) {
      return Converters.convert(v, PacketValues::interfaceName);
    }
  }

  static final class Tunnel implements ITypeConverter<String> {
    @Override
    public String convert(String v) {
      return Converters.convert(v, PacketValues::tunnelPattern);
    }
  }

  /** {@code FORMAT=FILE}, the format one of {@link Format}'s, case-insensitive as {@code --format}. */
  static final class Output implements ITypeConverter<OutputTarget> {
    @Override
    public OutputTarget convert(String v) {
      return Converters.convert(v, text -> {
        int eq = text.indexOf('=');
        if (eq < 0 || eq == text.length() - 1) throw new IllegalArgumentException("'" + text + "' must be FORMAT=FILE, e.g. sarif=ksaudit.sarif");
        String name = text.substring(0, eq).strip();
        Format f = Arrays.stream(Format.values()).filter(x -> x.label().equalsIgnoreCase(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown format '" + name + "' in '" + text + "' (text, json, sarif, junit, html)"));
        return new OutputTarget(f, java.nio.file.Path.of(text.substring(eq + 1)));
      });
    }
  }

  static final class Threshold implements ITypeConverter<FailOn> {
    @Override
    public FailOn convert(String v) {
      return Converters.convert(v, FailOn::parse);
    }
  }

  /** How many runs report keeps: at least the one it makes. */
  static final class Keep implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String v) {
      return Converters.convert(v, x -> {
        int n;
        try {
          n = Integer.parseInt(x);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + x + "' is not a number of runs");
        }
        if (n < 1) throw new IllegalArgumentException("keep at least 1 run (the one being made), not " + n);
        return n;
      });
    }
  }

  static final class VpnEndpoint implements ITypeConverter<Endpoint> {
    @Override
    public Endpoint convert(String v) {
      return Converters.convert(v, Endpoint::parse);
    }
  }

  /**
   * A LAN range as iptables reads an address, for check and the lab alike: a host part is allowed
   * and masked off, and an IPv4 network may leave out trailing zero bytes (192.168.1/24 is
   * 192.168.1.0/24 for iptables-nft-restore and iptables-legacy-restore 1.8.9, measured).
   */
  static final class LanRange implements ITypeConverter<Cidr> {
    @Override
    public Cidr convert(String v) {
      return Converters.convert(v, text -> {
        try {
          return ValueParsers.cidr(text.strip(), text.contains(":") ? Family.IPV6 : Family.IPV4);
        } catch (BadValue e) {
          throw new IllegalArgumentException(e.getMessage());
        }
      });
    }
  }

  static final class LabDns implements ITypeConverter<String> {
    @Override
    public String convert(String v) {
      return Converters.convert(v, a -> {
        LabAddress.parse(a);
        return a;
      });
    }
  }
}
