package org.ksaudit.lab;

import java.util.Optional;

/** The lab's VPN: a server in the internet namespace and a client in the client namespace. */
sealed interface Vpn extends AutoCloseable permits OpenVpn, WireGuard {
  void startServer() throws LabException;

  /** Starts the client; true once the tunnel carries traffic, false if it did not within the time. */
  default boolean startClient(long timeoutMillis) throws LabException {
    return startClient(timeoutMillis, Carried.BOTH);
  }

  /** Starts the client carrying {@code carried} through the tunnel; the rest follows the client's own routes. */
  boolean startClient(long timeoutMillis, Carried carried) throws LabException;

  /** Kills the client process as a crash would (SIGKILL) and waits until its device is gone. */
  void killClient() throws LabException;

  /** Stops the client as a user or a service manager does (SIGTERM): it takes down its own routes and device. */
  void stopClient() throws LabException;

  /** What the tunnel carries: both families, or IPv4 only as many providers' configurations do. */
  enum Carried {
    BOTH,
    IPV4_ONLY
  }

  /** The tunnel device on the server side, where tunnelled packets arrive in the internet namespace. */
  String serverInterface();

  /** The end of the client's log, to explain a tunnel that did not come up. */
  String clientLogTail();

  /**
   * When a VPN process started for the running client (client or server) has ended without
   * being told to: which process, its exit status, its last log lines.
   */
  Optional<String> failure() throws LabException;

  @Override
  void close();
}
