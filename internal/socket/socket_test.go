package socket

import (
	"bytes"
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// listen abre um socket de escuta numa porta livre do loopback e o fecha no
// fim do teste.
func listen(t *testing.T, backlog int) (*Sock, int) {
	t.Helper()
	ln, port, err := CreateServer("127.0.0.1", 0, backlog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, port
}

// pair devolve as duas pontas de uma conexão: a do cliente (net.Conn) e a
// aceita pelo servidor.
func pair(t *testing.T) (client net.Conn, server *Sock, addr Addr) {
	t.Helper()
	ln, port := listen(t, 16)
	client, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	server, addr, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	return client, server, addr
}

// Os passos do server.py com os dois lados deste pacote: o cliente conecta
// com prazo (settimeout) e envia; o servidor aceita, recv, sleep, send,
// close; o cliente recebe a resposta e depois fim de arquivo (zero bytes).
func TestExchange(t *testing.T) {
	t.Parallel()
	ln, port := listen(t, 16)
	if a, err := ln.Getsockname(); err != nil || a.HostPort() != "127.0.0.1:"+strconv.Itoa(port) {
		t.Errorf("Getsockname = %v, %v", a, err)
	}
	client, err := Socket(AF_INET, SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	client.SetTimeout(5 * time.Second)
	if err := client.Connect("127.0.0.1", port); err != nil {
		t.Fatal(err)
	}
	conn, addr, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\('127\.0\.0\.1', [1-9][0-9]*\)$`).MatchString(addr.String()) {
		t.Errorf("addr = %q, esperava a tupla do Python", addr)
	}
	if err := client.SendAll([]byte("Tarefa")); err != nil {
		t.Fatal(err)
	}
	msg, err := conn.Recv(1024)
	if err != nil || string(msg) != "Tarefa" {
		t.Fatalf("Recv: %q, %v", msg, err)
	}
	start := time.Now()
	Sleep(50 * time.Millisecond)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Errorf("Sleep(50ms) voltou em %v", el)
	}
	if n, err := conn.Send([]byte("Processado: Tarefa")); err != nil || n != 18 || !conn.Replied() {
		t.Fatalf("Send: %d, %v, Replied=%v", n, err, conn.Replied())
	}
	conn.Close()
	reply, err := client.Recv(1024)
	if err != nil || string(reply) != "Processado: Tarefa" {
		t.Errorf("o cliente leu %q, %v", reply, err)
	}
	if b, err := client.Recv(1024); len(b) != 0 || err != nil {
		t.Errorf("depois da resposta, esperava fim de arquivo (zero bytes, sem erro): %q, %v", b, err)
	}
}

// Recv como o do Python: o cliente fechar é zero bytes sem erro; o prazo de
// SetRecvTimeout vencido é ErrTimeout, nunca antes do prazo.
func TestRecvEOFAndTimeout(t *testing.T) {
	t.Parallel()
	client, conn, _ := pair(t)
	const idle = 150 * time.Millisecond
	conn.SetRecvTimeout(idle)
	start := time.Now()
	msg, err := conn.Recv(1024)
	if el := time.Since(start); !IsTimeout(err) || len(msg) != 0 || el < idle-10*time.Millisecond {
		t.Errorf("cliente calado: Recv devolveu %q, %v em %v; esperava o prazo de %v", msg, err, el, idle)
	}
	if err == nil || err.Error() != "recv: prazo esgotado (150ms)" {
		t.Errorf("texto do erro: %v", err)
	}
	client.Close()
	if msg, err := conn.Recv(1024); err != nil || len(msg) != 0 {
		t.Errorf("cliente fechou: Recv devolveu %q, %v; esperava zero bytes sem erro", msg, err)
	}
}

// Um cliente que resetou: Send devolve o erro (EPIPE ou ECONNRESET) em vez
// de matar o processo com SIGPIPE, e Replied continua falso.
func TestSendToResetClient(t *testing.T) {
	t.Parallel()
	client, conn, _ := pair(t)
	client.(*net.TCPConn).SetLinger(0)
	client.Close() // RST
	big := bytes.Repeat([]byte("x"), 64<<10)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = conn.Send(big)
	}
	if err == nil || conn.Replied() {
		t.Fatalf("Send para um cliente que resetou: %v, Replied=%v", err, conn.Replied())
	}
	if se, ok := errors.AsType[*Error](err); !ok || se.Op != "send" {
		t.Errorf("erro sem a operação: %#v", err)
	}
}

// Os prazos do lado do cliente (settimeout): recv sem resposta volta com
// ErrTimeout no prazo; connect numa porta fechada é recusado.
func TestClientTimeouts(t *testing.T) {
	t.Parallel()
	_, port := listen(t, 16)
	c, err := Socket(AF_INET, SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetTimeout(100 * time.Millisecond)
	if err := c.Connect("127.0.0.1", port); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Recv(16); !IsTimeout(err) || time.Since(start) < 90*time.Millisecond {
		t.Errorf("recv sem resposta: %v em %v; esperava o prazo de 100ms", err, time.Since(start))
	}

	closed, cport := listen(t, 1)
	closed.Close()
	r, _ := Socket(AF_INET, SOCK_STREAM)
	defer r.Close()
	r.SetTimeout(5 * time.Second)
	if err := r.Connect("127.0.0.1", cport); !errors.Is(err, errRefused) {
		t.Errorf("connect numa porta fechada: %v; esperava recusado", err)
	}
}

// CreateServer: a porta que o kernel escolheu, e os erros de bind.
func TestCreateServerErrors(t *testing.T) {
	t.Parallel()
	_, port := listen(t, 5)
	if port == 0 {
		t.Fatal("porta 0: o kernel deveria ter escolhido uma")
	}
	if _, _, err := CreateServer("127.0.0.1", port, 5); !errors.Is(err, errAddrInUse) {
		t.Errorf("segundo bind na mesma porta: %v, esperava EADDRINUSE", err)
	}
	if _, _, err := CreateServer("nao-e-ip", 0, 5); err == nil {
		t.Error("endereço inválido aceito")
	}
	if _, err := Socket(AF_INET, 99); err == nil {
		t.Error("Socket aceitou um tipo que não é SOCK_STREAM")
	}
}

// accepted: as conexões perdidas antes do accept (o cliente resetou) não
// são erros do servidor: o accept tenta a próxima, sem avisar o Observer
// (que faria uma pausa e escreveria [ERRO]). Nos BSD o kernel pode entregar
// essa conexão sem endereço, e o x/sys a fecha e devolve EAFNOSUPPORT.
func TestAcceptSkipsLostConnections(t *testing.T) {
	t.Parallel()
	obs := &countingObserver{}
	s := bareSock(obs)
	for _, err := range lostConnErrs {
		if got, again := acceptedErr(s, err); !again || got != nil {
			t.Errorf("%v: again=%v err=%v; esperava tentar a próxima", err, again, got)
		}
	}
	if obs.failed != 0 {
		t.Errorf("o Observer ouviu %d falhas de accept; conexões perdidas não são falhas", obs.failed)
	}
	if got, again := acceptedErr(s, errTooManyFiles); again || got == nil || obs.failed != 1 {
		t.Errorf("EMFILE: again=%v err=%v, %d avisos ao Observer; esperava o erro e um aviso", again, got, obs.failed)
	}
}

type countingObserver struct{ failed int }

func (o *countingObserver) Accepted(*Sock, Addr) error { return nil }
func (o *countingObserver) AcceptFailed(err error) error {
	o.failed++
	return err
}
func (o *countingObserver) Closing(*Sock) bool { return false }

// Um Observer que devolve erro em Accepted (o servidor está parando): Accept
// fecha a conexão e devolve o erro.
func TestObserverStopsAccept(t *testing.T) {
	t.Parallel()
	ln, port := listen(t, 16)
	stop := errors.New("parando")
	ln.Observer = stopObserver{stop}
	c, err := net.DialTimeout("tcp4", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := ln.Accept(); err != stop {
		t.Fatalf("Accept com o Observer parando: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c); len(b) != 0 || err != nil {
		t.Errorf("a conexão recusada pelo Observer devia ser fechada (EOF): %q, %v", b, err)
	}
}

type stopObserver struct{ err error }

func (o stopObserver) Accepted(*Sock, Addr) error   { return o.err }
func (o stopObserver) AcceptFailed(err error) error { return err }
func (o stopObserver) Closing(*Sock) bool           { return false }

// SetRecvTimeout(0) depois de um Recv com prazo volta a ser "sem limite":
// o SO_RCVTIMEO que ficou no kernel sai.
func TestRecvTimeoutBackToZero(t *testing.T) {
	t.Parallel()
	client, conn, _ := pair(t)
	conn.SetRecvTimeout(100 * time.Millisecond)
	if _, err := conn.Recv(10); !IsTimeout(err) {
		t.Fatalf("primeiro Recv: %v; esperava o prazo", err)
	}
	conn.SetRecvTimeout(0)
	go func() { time.Sleep(500 * time.Millisecond); client.Write([]byte("oi")) }()
	t0 := time.Now()
	b, err := conn.Recv(10)
	t.Logf("segundo Recv depois de %v: %q, %v", time.Since(t0).Round(time.Millisecond), b, err)
	if err != nil || string(b) != "oi" {
		t.Errorf("SetRecvTimeout(0) não tirou o prazo: %q, %v", b, err)
	}
}
