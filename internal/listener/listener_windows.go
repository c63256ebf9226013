//go:build windows

package listener

import (
	"fmt"
	"net"
	"strconv"
)

// Listen no Windows: o pacote net do Go chama listen com SOMAXCONN e não
// oferece outro valor, então o backlog pedido não pode ser honrado.
func Listen(host string, port, backlog int) (ln net.Listener, note string, err error) {
	ln, err = net.Listen("tcp4", net.JoinHostPort(host, strconv.Itoa(port)))
	note = fmt.Sprintf("aviso: no Windows o Go usa o backlog máximo do sistema (SOMAXCONN); -backlog %d não é aplicado", backlog)
	return ln, note, err
}
