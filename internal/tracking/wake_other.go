//go:build !linux

package tracking

import "roteiro2/internal/socket"

// wakeListener faz o accept bloqueado do laço principal voltar, na parada.
// No macOS, nos BSD e no Windows o shutdown de um socket de escuta pode não
// acordar quem dorme em accept nele, e fechá-lo seria pior (o número do
// descritor pode ser dado a outro arquivo enquanto a outra thread ainda o
// usa). O despertar é uma conexão à própria porta (wakeByConnect).
func (s *Server) wakeListener(ln *socket.Sock) { s.wakeByConnect(ln) }
