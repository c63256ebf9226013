package main

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// O número de um filho fica livre quando ele é colhido: a partir daí nenhum
// sinal pode sair para ele. Então gone precisa valer já no instante da
// colheita, e não logo depois: este teste troca reap por um que, assim que
// o Wait volta, olha gone. (No Linux o filho é esperado sem ser colhido com
// waitid; no macOS e nos BSD, com kqueue; no Windows, com
// WaitForSingleObject. Sem isso, gone só viraria true depois do Wait.)
func TestGoneBeforeReap(t *testing.T) {
	seen := make(chan bool, 1)
	t.Cleanup(func() { reap = (*exec.Cmd).Wait })
	reap = func(cmd *exec.Cmd) error {
		err := cmd.Wait() // colhido: o número já pode ser de outro processo
		var c *child
		liveMu.Lock()
		for k := range live {
			if k.cmd == cmd {
				c = k
			}
		}
		liveMu.Unlock()
		if c != nil {
			c.mu.Lock()
			seen <- c.gone
			c.mu.Unlock()
		}
		return err
	}
	// O filho é o próprio binário de teste, sem teste nenhum para rodar: sai
	// na hora, em qualquer sistema.
	c, err := startChild(context.Background(), "filho", os.Args[0], []string{"-test.run=^$"}, false)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		t.Fatal("o filho não terminou em 30 s")
	}
	if gone := <-seen; !gone {
		t.Fatal("o filho foi colhido com gone = false: um sinal ainda podia sair para o número dele, já livre")
	}
}
