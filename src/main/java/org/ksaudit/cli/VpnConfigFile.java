package org.ksaudit.cli;

import java.io.InputStream;
import org.ksaudit.input.InputFile;
import org.ksaudit.setup.VpnConfig;
import org.ksaudit.setup.VpnConfigException;
import org.ksaudit.setup.VpnConfigs;

/** {@code --vpn-config FILE} for check and probe: read with the same limits as a ruleset, refused in one line. */
final class VpnConfigFile {
  private VpnConfigFile() {}

  static VpnConfig read(String name, InputStream stdin) throws Failure, InputFile.InputException {
    InputFile f = InputFile.read(name, stdin);
    try {
      return VpnConfigs.read(f.name(), f.text());
    } catch (VpnConfigException e) {
      throw Failure.input(e.getMessage());
    }
  }
}
