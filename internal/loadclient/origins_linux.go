package loadclient

import (
	"fmt"

	"golang.org/x/sys/unix"

	"roteiro2/internal/socket"
)

// BindOrigin liga o socket do cliente id ao endereço de origem
// 127.0.0.K (K = id módulo origins, de 1 a origins) antes do connect, para
// espalhar dezenas de milhares de conexões por vários endereços de origem
// (-origens). IP_BIND_ADDRESS_NO_PORT: o kernel escolhe a porta de origem só
// no connect(), olhando a quádrupla inteira, em vez de reservar uma porta
// exclusiva já no bind(). Com origins ≤ 1, nada.
func BindOrigin(s *socket.Sock, id, origins int) error {
	if origins <= 1 {
		return nil
	}
	if err := s.Setsockopt(unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1); err != nil {
		return err
	}
	return s.Bind(fmt.Sprintf("127.0.0.%d", id%origins+1), 0)
}
