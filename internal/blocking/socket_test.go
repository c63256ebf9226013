package blocking

import (
	"bytes"
	"errors"
	"io"
	"net"
	"regexp"
	"runtime"
	"testing"
	"time"
)

// listen abre um socket de escuta numa porta livre do loopback e o fecha no
// fim do teste.
func listen(t *testing.T) *Listener {
	t.Helper()
	ln, _, err := Listen("127.0.0.1", 0, 16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// pair devolve as duas pontas de uma conexão: a do cliente (net.Conn) e a
// aceita pelo servidor (*Conn).
func pair(t *testing.T, ln *Listener) (client net.Conn, server *Conn) {
	t.Helper()
	client, err := net.DialTimeout("tcp4", ln.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	return client, server
}

// Os passos do server.py no socket bloqueante: accept, recv, sleep, send,
// close (demorado), e o cliente recebe a resposta e depois fim de arquivo.
func TestExchange(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	if !regexp.MustCompile(`^127\.0\.0\.1:[1-9][0-9]*$`).MatchString(ln.Addr()) {
		t.Errorf("Addr() = %q", ln.Addr())
	}
	client, conn := pair(t, ln)
	if want := regexp.MustCompile(`^\('127\.0\.0\.1', [1-9][0-9]*\)$`); !want.MatchString(conn.Addr()) {
		t.Errorf("Addr() da conexão = %q, esperava a tupla do Python", conn.Addr())
	}
	client.Write([]byte("Tarefa"))
	msg, err := conn.Recv(1024)
	if err != nil || string(msg) != "Tarefa" {
		t.Fatalf("Recv: %q, %v", msg, err)
	}
	start := time.Now()
	Sleep(50 * time.Millisecond)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Errorf("Sleep(50ms) voltou em %v", el)
	}
	if err := conn.Send([]byte("Processado: Tarefa")); err != nil {
		t.Fatal(err)
	}
	go conn.Linger()
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	reply, err := io.ReadAll(client)
	if err != nil || string(reply) != "Processado: Tarefa" {
		t.Errorf("o cliente leu %q, %v; esperava a resposta e fim de arquivo", reply, err)
	}
}

// Recv como o do Python: o cliente fechar é zero bytes sem erro; o prazo de
// SetRecvTimeout vencido é um erro que IsTimeout reconhece, nunca antes do
// prazo.
func TestRecvEOFAndTimeout(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	client, conn := pair(t, ln)
	const idle = 150 * time.Millisecond
	conn.SetRecvTimeout(idle)
	start := time.Now()
	msg, err := conn.Recv(1024)
	if el := time.Since(start); !IsTimeout(err) || len(msg) != 0 || el < idle-10*time.Millisecond {
		t.Errorf("cliente calado: Recv devolveu %q, %v em %v; esperava o prazo de %v", msg, err, el, idle)
	}
	client.Close()
	if msg, err := conn.Recv(1024); err != nil || len(msg) != 0 {
		t.Errorf("cliente fechou: Recv devolveu %q, %v; esperava zero bytes sem erro", msg, err)
	}
}

// Abort, de outra goroutine, acorda a thread que dorme em Recv (a parada
// depois do prazo), e não faz nada depois de Close.
func TestAbortWakesRecv(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	_, conn := pair(t, ln)
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		msg, err := conn.Recv(1024)
		done <- result{len(msg), err}
	}()
	time.Sleep(50 * time.Millisecond) // (só para o Recv provavelmente já estar dormindo)
	conn.Abort()
	select {
	case r := <-done:
		// No Unix, shutdown(SHUT_RDWR): fim de arquivo. No Windows o pacote
		// net fecha o socket, e a leitura volta com erro.
		t.Logf("Recv acordado por Abort: %d bytes, %v", r.n, r.err)
		if r.n != 0 || (runtime.GOOS != "windows" && r.err != nil) {
			t.Errorf("Recv acordado por Abort: %d bytes, %v; esperava fim de arquivo", r.n, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Abort não acordou o Recv")
	}
	conn.Close()
	conn.Abort() // depois de Close: não toca no descritor (que pode já ser de outro)
}

// Wake, de outra goroutine, faz o Accept bloqueado voltar com erro; quem
// aceitava fecha o socket de escuta, e a porta deixa de aceitar conexões.
func TestWakeAccept(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Close()
			err = errors.New("Accept devolveu uma conexão")
		}
		ln.Close()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	ln.Wake()
	select {
	case err := <-done:
		t.Logf("Accept acordado: %v", err)
		if err == nil || err.Error() == "Accept devolveu uma conexão" {
			t.Errorf("Accept: %v; esperava um erro (ninguém conectou)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wake não acordou o Accept")
	}
	if c, err := net.DialTimeout("tcp4", ln.Addr(), time.Second); err == nil {
		c.Close()
		t.Error("a porta ainda aceita conexões depois de Wake e Close")
	}
}

// Um cliente que resetou: Send devolve o erro (EPIPE ou ECONNRESET) em vez
// de matar o processo com SIGPIPE.
func TestSendToResetClient(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	client, conn := pair(t, ln)
	client.(*net.TCPConn).SetLinger(0)
	client.Close() // RST
	big := bytes.Repeat([]byte("x"), 64<<10)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		err = conn.Send(big)
	}
	if err == nil {
		t.Fatal("Send para um cliente que resetou nunca falhou")
	}
	t.Logf("Send depois do RST: %v", err)
}

// Fechamento demorado: o cliente mandou 64 KiB e o servidor leu só 1024;
// mesmo assim o cliente recebe a resposta inteira e fim de arquivo, não RST.
func TestLingerBigRequest(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	client, conn := pair(t, ln)
	big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16)
	go client.Write(big)
	msg, err := conn.Recv(1024)
	if err != nil || len(msg) == 0 {
		t.Fatalf("Recv: %d bytes, %v", len(msg), err)
	}
	reply := append([]byte("Processado: "), msg...)
	if err := conn.Send(reply); err != nil {
		t.Fatal(err)
	}
	lingered := make(chan struct{})
	go func() { conn.Linger(); close(lingered) }()
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(client)
	if err != nil || !bytes.Equal(got, reply) {
		t.Errorf("o cliente leu %d bytes (%v); esperava os %d da resposta e fim de arquivo", len(got), err, len(reply))
	}
	client.Close()
	select {
	case <-lingered:
	case <-time.After(5 * time.Second):
		t.Error("Linger não terminou depois que o cliente fechou")
	}
}

// Fechamento demorado com um cliente que nunca fecha: Linger desiste em
// LingerMax.
func TestLingerBounded(t *testing.T) {
	t.Parallel()
	ln := listen(t)
	_, conn := pair(t, ln)
	start := time.Now()
	conn.Linger()
	if el := time.Since(start); el < LingerMax-50*time.Millisecond || el > LingerMax+3*time.Second {
		t.Errorf("Linger com cliente que não fecha levou %v; esperava cerca de %v", el, LingerMax)
	}
}
