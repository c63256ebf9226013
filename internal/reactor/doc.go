// Package reactor é um laço de eventos (event loop) escrito à mão sobre
// epoll (Linux), kqueue (macOS e BSD) e WSAPoll (Windows), o mesmo mecanismo
// que o asyncio do Python usa por baixo (o seu SelectorEventLoop). Uma única goroutine, presa a uma única thread do
// sistema operacional, pergunta ao kernel "qual destes sockets tem algo para
// mim?" (epoll_wait, kevent, WSAPoll), dorme até a resposta ou até o próximo timer
// vencer, e então chama, um de cada vez, os callbacks de quem ficou pronto:
// aceitar uma conexão nova, ler o que chegou, escrever o que faltava, rodar
// um timer vencido. Nenhum callback pode bloquear: enquanto um roda, todos
// os outros esperam. Em troca, dez mil conexões custam dez mil structs
// pequenas, não dez mil threads.
//
//	         Loop.Run (uma goroutine, presa a uma thread do SO)
//	+--------------------------------------------------------------+
//	|  timeout = prazo do timer mais próximo (arredondado para     |
//	|            cima, em ms; -1 se não há timer)                  |
//	|                          |                                   |
//	|                          v                                   |
//	|  epoll_wait / kevent / WSAPoll  <---  Stop/Post de outra     |
//	|          |   goroutine (eventfd, EVFILT_USER, pipe, socket)  |
//	|                          v                                   |
//	|  para cada descritor pronto:                                 |
//	|    escuta   -> accept até EAGAIN (no máx. 128) -> OnOpen     |
//	|    gravável -> envia o resto pendente de Write               |
//	|    legível  -> read: n > 0 -> OnData(c, in)                  |
//	|                      0     -> OnEOF (se houver) ou OnClose   |
//	|                          |                                   |
//	|                          v                                   |
//	|  timers vencidos (heap mínimo), em ordem de prazo            |
//	|  OnClose + close(2) das conexões encerradas no lote          |
//	+-------------------------- repete ----------------------------+
//
// A API segue a forma a que chegaram os laços em Go mais usados (evio,
// gnet): um Handler com OnOpen, OnData e OnClose (e, opcional, OnEOF), mais
// Loop.AfterFunc, Conn.Write e Conn.Close. Por cima dela, como os streams do
// asyncio por cima dos seus Protocols, fica a camada de streams (stream.go:
// StartServer, Read, Sleep, Write, Drain, Close, WaitClosed), que é o que o
// server_async usa. Tudo, exceto Loop.Stop e Loop.Post, deve ser chamado de
// dentro dos callbacks, na thread do laço.
//
// No Windows o laço é o mesmo, sobre WSAPoll (poller_wsapoll.go): O(n) por
// espera, como o poll do Unix; o caminho de produção lá é o IOCP, de
// conclusão, não de prontidão (veja o comentário do wsapoller).
package reactor
