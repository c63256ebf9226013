//go:build unix && !linux

package blocking

import "golang.org/x/sys/unix"

// sendFlags: nenhuma. O runtime do Go ignora o SIGPIPE causado por um
// descritor que não é stdout/stderr, e o send volta com EPIPE.
const sendFlags = 0

// wakeByConnect: no macOS e nos BSD o shutdown de um socket de escuta pode
// não acordar o accept; Wake conecta à própria porta.
const wakeByConnect = true

// acceptCloexec: sem accept4 em todos estes sistemas, accept e depois
// close-on-exec. Nenhum dos servidores cria processos filhos, então a janela
// entre as duas chamadas não deixa o descritor vazar. A conexão herda o modo
// bloqueante do socket de escuta.
func acceptCloexec(fd int) (int, unix.Sockaddr, error) {
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	return nfd, sa, err
}
