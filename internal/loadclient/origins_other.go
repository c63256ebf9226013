//go:build !linux

package loadclient

import (
	"fmt"

	"roteiro2/internal/socket"
)

// BindOrigin liga o socket do cliente id ao endereço de origem 127.0.0.K
// antes do connect (-origens; veja origins_linux.go). Com origins ≤ 1, nada.
func BindOrigin(s *socket.Sock, id, origins int) error {
	if origins <= 1 {
		return nil
	}
	return s.Bind(fmt.Sprintf("127.0.0.%d", id%origins+1), 0)
}
