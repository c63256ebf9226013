//go:build unix

// Package listener entrega aos servidores bloqueantes (serverbloq,
// servergargalo, server) um net.Listener cujo listen(2) recebeu exatamente o
// backlog pedido. No Unix o socket vem de internal/sock; no Windows o Go não
// permite escolher o backlog, e Note diz isso na linha de início.
package listener

import (
	"net"
	"os"

	"roteiro2/internal/sock"
)

// Listen abre host:port com o backlog exato. Note é vazio quando o backlog
// foi aplicado como pedido; senão explica o que o sistema usou.
func Listen(host string, port, backlog int) (ln net.Listener, note string, err error) {
	fd, _, err := sock.Listen(host, port, backlog)
	if err != nil {
		return nil, "", err
	}
	// net.FileListener duplica o descritor e o entrega ao netpoller do Go;
	// o original pode ser fechado em seguida.
	f := os.NewFile(uintptr(fd), "listener")
	defer f.Close()
	ln, err = net.FileListener(f)
	return ln, "", err
}
