package e2e

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/proc"
)

// WaitWaits lê onde dorme cada thread do processo pid
// (proc.WaitChannels, o wchan de cada thread no Linux) até cond aceitar a
// leitura, por no máximo timeout, e devolve essa leitura. Se o tempo acabar,
// o teste falha com what e a última tabela. Fora do Linux o teste é pulado:
// só o Linux mostra o wchan de cada thread.
func WaitWaits(t testing.TB, pid int, timeout time.Duration, what string, cond func(proc.Waits) bool) proc.Waits {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("o wait channel de cada thread (/proc/PID/task/*/wchan) só existe no Linux")
	}
	deadline := time.Now().Add(timeout)
	for {
		w, err := proc.WaitChannels(pid)
		if err != nil {
			t.Fatal(err)
		}
		if cond(w) {
			return w
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: não aconteceu em %v; threads por wait channel: %v", what, timeout, w)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Threads é o número de threads do SO do processo pid agora (-1 se o
// sistema não informa).
func Threads(t testing.TB, pid int) int {
	t.Helper()
	f, err := proc.Of(pid)
	if err != nil {
		t.Fatal(err)
	}
	return f.Threads
}

// Hold abre n conexões a addr, uma por vez, e as mantém abertas até o fim
// do teste (ou até quem chamou fechá-las).
func Hold(t testing.TB, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.DialTimeout("tcp4", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	return conns
}

// WaitThread espera (até timeout) a thread tid do processo pid dormir na
// chamada label (proc.Label do wchan dela: "recv", "sleep", "accept"...) e
// devolve o wchan. A thread principal de um processo tem tid igual ao pid.
// Fora do Linux o teste é pulado.
func WaitThread(t testing.TB, pid, tid int, timeout time.Duration, label string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("o wait channel de cada thread (/proc/PID/task/TID/wchan) só existe no Linux")
	}
	path := fmt.Sprintf("/proc/%d/task/%d/wchan", pid, tid)
	deadline := time.Now().Add(timeout)
	for {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wchan := strings.TrimSpace(string(b))
		if proc.Label(wchan) == label {
			return wchan
		}
		if time.Now().After(deadline) {
			w, _ := proc.WaitChannels(pid)
			t.Fatalf("a thread %d não dormiu em %s em %v: está em %q; o processo: %v", tid, label, timeout, wchan, w)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// SocketCount conta os sockets abertos do processo pid (as entradas de
// /proc/PID/fd que apontam para "socket:[...]"). Para ver vazamento de
// conexões é mais estável que FDCount: o runtime do Go e a amostragem dos
// servidores abrem e fecham arquivos por um instante (/proc/self/status), e
// uma contagem pode pegá-los abertos. Fora do Linux o teste é pulado.
func SocketCount(t testing.TB, pid int) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("contagem de descritores por /proc só existe no Linux")
	}
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if target, err := os.Readlink(dir + "/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n
}
