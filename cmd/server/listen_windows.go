package main

import (
	"fmt"
	"net"
	"strconv"
)

// listenNet abre o socket de escuta do modelo goroutine pelo pacote net. No
// Windows o Go não aceita um socket criado fora dele (net.FileListener não
// existe lá), e net.Listen sempre passa SOMAXCONN a listen: o -backlog não
// vale neste modelo (o modelo thread, pelo pacote socket, o respeita).
func listenNet() (net.Listener, error) {
	if BACKLOG != 128 {
		fmt.Printf("[AVISO] -modelo goroutine no Windows: o pacote net do Go usa o backlog máximo (SOMAXCONN); -backlog %d não vale aqui.\n", BACKLOG)
	}
	return net.Listen("tcp4", net.JoinHostPort(HOST, strconv.Itoa(PORT)))
}
