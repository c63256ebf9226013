//go:build unix

package main

import (
	"net"
	"os"

	"roteiro2/internal/socket"
)

// listenNet abre o socket de escuta com o backlog exato (o pacote socket) e
// o entrega ao pacote net: net.FileListener duplica o descritor e o registra
// no netpoller do Go. (O net.Listen do Go sempre passa o máximo do sistema a
// listen(2).)
func listenNet() (net.Listener, error) {
	s, _, err := socket.CreateServer(HOST, PORT, BACKLOG)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(s.Fd()), "listener") // o descritor passa a ser de f
	defer f.Close()
	return net.FileListener(f) // duplica o descritor e o registra no netpoller
}
