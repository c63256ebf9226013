package loadclient

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// bindNoPort pede IP_BIND_ADDRESS_NO_PORT antes do bind() que o Go faz
// quando Dialer.LocalAddr está presente: o kernel escolhe a porta de origem
// só no connect(), olhando a quádrupla inteira, em vez de reservar uma porta
// exclusiva já no bind(). Com 19.000 clientes isso evita esgotar portas.
func bindNoPort(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
