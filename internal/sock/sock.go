//go:build unix

// Package sock abre o socket de escuta como os originais Python fazem
// (socket, SO_REUSEADDR, bind, listen(backlog)), chamando o sistema
// diretamente. O net.Listen do Go sempre passa o máximo do sistema
// (net.core.somaxconn) a listen(2); aqui o backlog pedido chega ao kernel
// exatamente, que é o que a Etapa 1.2 quer observar.
//
// Não importa "net": o server_async (internal/reactor) usa este pacote.
package sock

import (
	"fmt"

	"golang.org/x/sys/unix"

	"roteiro2/internal/cli"
)

// Listen cria um socket TCP/IPv4 não bloqueante e close-on-exec, liga-o a
// host:port com SO_REUSEADDR e chama listen(fd, backlog). Devolve o descritor
// e a porta de fato ligada (útil com port 0: o kernel escolhe uma livre).
func Listen(host string, port, backlog int) (fd, boundPort int, err error) {
	addr, err := cli.ParseIPv4(host)
	if err != nil {
		return -1, 0, err
	}
	// socket(AF_INET, SOCK_STREAM): o mesmo que socket.socket() do Python.
	fd, err = unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return -1, 0, fmt.Errorf("socket: %w", err)
	}
	unix.CloseOnExec(fd) // um processo filho não herda o socket de escuta
	fail := func(step string, e error) (int, int, error) {
		unix.Close(fd)
		return -1, 0, fmt.Errorf("%s: %w", step, e)
	}
	// SO_REUSEADDR: permite reabrir a porta logo após reiniciar o servidor,
	// mesmo com conexões antigas ainda em TIME_WAIT.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail("setsockopt SO_REUSEADDR", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return fail("fcntl O_NONBLOCK", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: addr.As4()}); err != nil {
		return fail("bind", err)
	}
	// listen(backlog): a partir daqui o kernel completa o handshake de três
	// vias sozinho e enfileira as conexões prontas até alguém chamar accept().
	if err := unix.Listen(fd, backlog); err != nil {
		return fail("listen", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return fail("getsockname", err)
	}
	return fd, sa.(*unix.SockaddrInet4).Port, nil
}
