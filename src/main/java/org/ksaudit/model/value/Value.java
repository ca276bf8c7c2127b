package org.ksaudit.model.value;

/** The typed value of an option. The analysis switches over these, never over strings. */
public sealed interface Value
    permits AddressList, AddressRange, PortList, InterfaceName, NumberRange, MarkValue, NameSet, IcmpType, Text,
        Flag, Unparsed {}
