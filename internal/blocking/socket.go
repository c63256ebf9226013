package blocking

import (
	"net"
	"time"
)

// O socket bloqueante dos três servidores, com os nomes do socket do Python:
//
//	Python                          Go (este pacote)
//	server.bind(); server.listen()  ln, _, err := blocking.Listen(host, port, backlog)
//	conn, addr = server.accept()    conn, err := ln.Accept()
//	conn.settimeout(t)              conn.SetRecvTimeout(t)
//	conn.recv(1024)                 conn.Recv(1024)
//	time.sleep(5)                   blocking.Sleep(5 * time.Second)
//	conn.send(resposta)             conn.Send(resposta)   (envia tudo, como sendall)
//	conn.close()                    conn.Close()
//
// No Unix (socket_unix.go) cada chamada é a chamada do sistema de mesmo
// nome, num descritor em modo bloqueante: a thread que chama dorme no
// kernel até a chamada terminar, exatamente como a do Python. É o que
// `cat /proc/PID/task/*/wchan` mostra no Linux: inet_csk_accept no accept,
// wait_woken no recv, hrtimer_nanosleep no sleep.
//
// Um net.Conn do Go não faz isso: a goroutine que lê um net.Conn fica
// estacionada no netpoller do runtime (um laço epoll/kqueue), e a thread vai
// rodar outra goroutine — mesmo com runtime.LockOSThread, que só prende: a
// thread presa dorme num futex, não no recv. Esse é o modelo goroutine do
// server (AcceptNet), posto ao lado do modelo thread para comparar.
//
// No Windows (socket_windows.go) as mesmas funções passam pelo pacote net e
// por time.Sleep: o servidor funciona igual, mas a espera é a do runtime do
// Go, não uma thread parada no kernel.

// Os dois arquivos oferecem os mesmos métodos: se um mudar sem o outro, a
// compilação para aquele sistema (GOOS=windows go vet) falha aqui.
var (
	_ interface {
		Addr() string
		Accept() (*Conn, error)
		Wake()
		Close() error
	} = (*Listener)(nil)

	_ interface {
		Addr() string
		SetRecvTimeout(time.Duration)
		Recv(n int) ([]byte, error)
		Send(p []byte) error
		Linger()
		Abort()
		Close() error
	} = (*Conn)(nil)

	_ func(host string, port, backlog int) (*Listener, string, error)    = Listen
	_ func(host string, port, backlog int) (net.Listener, string, error) = ListenNet
	_ func(time.Duration)                                                = Sleep
)
