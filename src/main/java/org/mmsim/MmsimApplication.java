package org.mmsim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The mmsim service: a simulated Linux memory-management machine per HTTP session. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MmsimApplication {

    public static void main(String[] args) {
        SpringApplication.run(MmsimApplication.class, args);
    }
}
