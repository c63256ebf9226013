// Servidorteste é um servidor "de fora" para os testes de -servidor do
// roteiro, em quatro modos:
//
//	thread  uma thread do SO por conexão: lê, dorme o delay (bloqueando a
//	        thread no kernel), responde e fecha, como o server.py
//	mudo    aceita e lê, mas nunca responde
//	sai     termina na hora, com código 3, sem escutar
//	surdo   nunca escuta: só dorme
//
// Não trata SIGTERM: morre por ele, como um programa Python.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"time"
)

func main() {
	mode := flag.String("modo", "thread", "thread, mudo, sai ou surdo")
	port := flag.Int("porta", 65432, "porta em 127.0.0.1")
	delay := flag.Float64("delay", 5, "segundos de sleep por pedido")
	flag.Parse()
	switch *mode {
	case "sai":
		fmt.Println("saindo sem escutar")
		os.Exit(3)
	case "surdo":
		fmt.Println("não vou escutar")
		time.Sleep(time.Hour)
		return
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("[OUVINDO] Servidor rodando em %s (modo %s)\n", ln.Addr(), *mode)
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func() {
			defer c.Close()
			buf := make([]byte, 1024)
			n, _ := c.Read(buf)
			if *mode == "mudo" {
				select {} // nunca responde
			}
			// A thread fica presa a esta conexão e dorme no kernel
			// (nanosleep), como uma thread do Python em time.sleep; ao
			// voltar, a goroutine termina ainda presa e a thread morre.
			runtime.LockOSThread()
			sleep(time.Duration(*delay * float64(time.Second)))
			c.Write(append([]byte("Processado: "), buf[:n]...))
		}()
	}
}
