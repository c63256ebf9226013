package main

// A pilha do kernel de cada thread: toda thread do SO tem, além da pilha de
// usuário, uma pilha no kernel (16 KiB no x86_64, THREAD_SIZE) que não
// aparece no RSS do processo. O Linux soma todas em /proc/meminfo
// "KernelStack:" (kB, a máquina inteira); o sampler a lê junto com o /proc
// do servidor e a linha mostra (pico − repouso) / clientes.

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// colKStack é a coluna da pilha do kernel por conexão (tabela.md e -escala).
const colKStack = "pilha do kernel/conexão"

// kstackNote explica a coluna (tabela.md, desempenho.md).
const kstackNote = `*pilha do kernel/conexão* = (pico − repouso de "KernelStack:" em /proc/meminfo) / clientes.
Cada thread do SO tem uma pilha no kernel (16 KiB no x86_64, THREAD_SIZE): memória do kernel
que o RSS do processo não mostra. No modelo thread é ≈16 KiB por conexão além do RSS/conexão;
nos modelos de goroutines e de laço de eventos, ≈0. O contador vale para a MÁQUINA INTEIRA:
qualquer processo que crie ou encerre threads no intervalo o move, a começar pelo próprio
cliente (um processo Go que nasce depois do repouso: 5 a 9 threads, ~80–150 KiB; com 3 a 10
clientes, de 8 a 50 KiB/conexão), e testes ou compilações em paralelo. Com poucos clientes
é só a ordem de grandeza; com centenas ou milhares, o ruído se dilui. Amostrado junto com o
/proc do servidor (a cada 50 ms, ou mais espaçado com milhares de threads). Só Linux; n/d
nos outros sistemas.
`

// readKernelStack devolve KernelStack de /proc/meminfo em bytes, ou -1 fora
// do Linux ou se não pôde ler.
func readKernelStack() int64 {
	if runtime.GOOS != "linux" {
		return -1
	}
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return -1
	}
	n, err := parseKernelStack(string(data))
	if err != nil {
		return -1
	}
	return n
}

// parseKernelStack acha a linha "KernelStack:    1552 kB" no texto de
// /proc/meminfo e devolve o valor em bytes.
func parseKernelStack(meminfo string) (int64, error) {
	for line := range strings.Lines(meminfo) {
		rest, ok := strings.CutPrefix(line, "KernelStack:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return -1, fmt.Errorf("meminfo: linha KernelStack inesperada %q", strings.TrimSpace(line))
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 || kb > 1<<40 {
			return -1, fmt.Errorf("meminfo: KernelStack %q não é um número de kB", f[0])
		}
		return kb << 10, nil
	}
	return -1, errors.New("meminfo: sem a linha KernelStack")
}

// KStackPerConn é (pico − repouso de KernelStack) / clientes, em bytes, ou -1
// se não há como calcular. O pico inclui a amostra de repouso, então não é
// negativo; nada garante que a diferença seja só do servidor (kstackNote).
func (r Row) KStackPerConn() int64 {
	if r.IdleKStack < 0 || r.PeakKStack < 0 || r.Clients <= 0 {
		return -1
	}
	return max(0, r.PeakKStack-r.IdleKStack) / int64(r.Clients)
}
