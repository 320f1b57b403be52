export const ETHERNET_MTU = 1500;
/** VXLAN adds 50 bytes (outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8): 1500 - 50. */
export const VXLAN_MTU = 1450;
