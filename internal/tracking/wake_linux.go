package tracking

import "roteiro2/internal/socket"

// wakeListener faz o accept bloqueado do laço principal voltar, na parada.
//
// Fechar o socket de escuta NÃO serviria: no Linux, close() de um socket em
// que outra thread dorme em accept() não a acorda (a chamada em curso segura
// uma referência ao arquivo, e o socket continua escutando). E fechar o
// descritor enquanto a outra thread ainda pode chamar accept nele de novo é
// pior: o número pode já ter sido dado a outro arquivo. O que acorda é
// shutdown(SHUT_RD): o socket deixa de escutar (quem estava na fila recebe
// RST) e o accept volta com EINVAL, que AcceptFailed transforma no fim.
func (s *Server) wakeListener(ln *socket.Sock) { ln.Shutdown(socket.SHUT_RD) }
